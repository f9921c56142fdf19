#!/bin/sh
# Checks this bundle as LES-MEG.txt / READ ME describes: every file against SHA256SUMS,
# then the Ed25519 signature over SHA256SUMS with the bundled public key.
# Kontrollerer pakken slik LES-MEG.txt beskriver.
set -eu
cd "$(dirname "$0")"
sha256sum -c --quiet SHA256SUMS
openssl pkeyutl -verify -pubin -inkey signing-key.pem -rawin -in SHA256SUMS -sigfile SHA256SUMS.sig
printf 'Signing key fingerprint / fingeravtrykk: '
openssl pkey -pubin -in signing-key.pem -outform DER | tail -c 32 | sha256sum | cut -d' ' -f1
echo "OK: {{CASE}}"
