from django.db import migrations

# Signing in finds the person by their address (allauth looks in auth_user.email, which Django leaves unindexed):
# without an index every sign-in reads the whole table, a cost that grows with the trust.
INDEX = "trust_auth_user_email"


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("trust", "0005_data_protection_officer"),
    ]

    operations = [
        migrations.RunSQL(f"CREATE INDEX {INDEX} ON auth_user (email)", reverse_sql=f"DROP INDEX {INDEX}"),
    ]
