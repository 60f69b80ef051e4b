"""Documents on an S3-compatible server (moto over real HTTP), private unless signed."""

import urllib.error
import urllib.request

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import override_settings
from wagtail.documents.models import Document

BUCKET = "symphony-portal-test"


@pytest.fixture
def s3_storage(s3_server, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    client = boto3.client("s3", endpoint_url=s3_server, region_name="eu-west-2")
    if BUCKET not in [b["Name"] for b in client.list_buckets()["Buckets"]]:
        client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"})
    storages = {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_server,
                "region_name": "eu-west-2",
                "default_acl": None,
                "querystring_auth": True,
                "file_overwrite": False,
                "addressing_style": "path",
                "signature_version": "s3v4",
            },
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages):
        yield client


@pytest.mark.django_db
def test_a_wagtail_document_is_saved_to_and_read_back_from_s3(s3_storage, s3_server):
    document = Document(title="Designated teacher guidance")
    document.file.save("guidance.txt", ContentFile(b"The designated teacher leads the PEP."), save=False)
    document.save()

    stored = s3_storage.get_object(Bucket=BUCKET, Key=document.file.name)["Body"].read()
    assert stored == b"The designated teacher leads the PEP."
    with Document.objects.get(pk=document.pk).file.open("rb") as handle:
        assert handle.read() == b"The designated teacher leads the PEP."

    # Without a signature the object cannot be read; the signed URL the storage makes can.
    plain_url = f"{s3_server}/{BUCKET}/{document.file.name}"
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(plain_url)  # noqa: S310 - local test server
    assert refused.value.code == 403
    signed_url = default_storage.url(document.file.name)
    assert "X-Amz-Signature" in signed_url
    with urllib.request.urlopen(signed_url) as response:  # noqa: S310
        assert response.read() == b"The designated teacher leads the PEP."


@pytest.mark.django_db
def test_health_ready_checks_the_s3_storage(client, s3_storage):
    response = client.get("/health/ready")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "storage": "ok"}}
