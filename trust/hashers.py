"""How passwords are stored: Argon2id with OWASP's recommended minimum (19 MiB, 2 passes, 1 lane).

Django's own Argon2 settings (100 MiB, 8 lanes) cost each gunicorn worker 100 MiB per sign-in, and its
PBKDF2 default (a million rounds) costs about half a second of CPU: on the morning of an INSET day,
hundreds of staff sign in within minutes. Argon2id at these settings is the first choice of OWASP's
Password Storage Cheat Sheet and is memory-hard, which PBKDF2 is not. Hashes made with other settings
or other hashers still verify, and are re-made with these at the person's next sign-in.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idPasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
