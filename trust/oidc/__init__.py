"""allauth's OpenID Connect URLs, with the callback using trust.sso's adapter (it checks the ID token's
signature). allauth finds a provider's URLs in `<its package>.urls`: see CheckedOpenIDConnectProvider."""
