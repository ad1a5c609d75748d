#!/bin/sh
# The balancer's certificate and key, read with openssl before Apache is given them: the key
# matches the certificate, the certificate is valid now and for 30 days more (a warning under 30),
# its names cover the site's name, and the chain in the file reaches a root (one in the file, or
# one the system trusts). Read-only; prints every problem, then fails if there was one.
# takes: cert key server_name
# shellcheck disable=SC2154 # the values on the takes: line are set before this body
if ! command -v openssl >/dev/null 2>&1; then echo "openssl is not installed: cannot check the certificate" >&2; exit 2; fi
for f in "$cert" "$key"; do
    [ -r "$f" ] || { echo "$f does not exist or cannot be read" >&2; exit 1; }
done
bad=0
leaf_key=$(openssl x509 -in "$cert" -noout -pubkey 2>/dev/null) || { echo "$cert holds no PEM certificate" >&2; exit 1; }
own_key=$(openssl pkey -in "$key" -pubout 2>/dev/null) || { echo "$key holds no PEM private key (or it is encrypted: Apache would ask for its passphrase)" >&2; exit 1; }
if [ "$leaf_key" != "$own_key" ]; then echo "the key $key does not belong to the certificate $cert" >&2; bad=1; fi
end=$(openssl x509 -in "$cert" -noout -enddate | cut -d= -f2)
if ! openssl x509 -in "$cert" -noout -checkend 0 >/dev/null; then echo "the certificate expired on $end" >&2; bad=1
elif ! openssl x509 -in "$cert" -noout -checkend 2592000 >/dev/null; then echo "warning: the certificate expires on $end, in less than 30 days"; fi
if ! openssl x509 -in "$cert" -noout -checkhost "$server_name" 2>/dev/null | grep -q 'does match'; then
    names=$(openssl x509 -in "$cert" -noout -ext subjectAltName 2>/dev/null | sed -n 's/^ *//p' | tail -n +2)
    echo "the certificate does not cover $server_name (it names: ${names:-no subjectAltName})" >&2; bad=1
fi
# The file's other certificates are the chain; its self-signed ones may be the root.
chain=$(mktemp); trap 'rm -f "$chain"' EXIT
awk '/-----BEGIN CERTIFICATE-----/ { n++ } n > 1' "$cert" > "$chain"
roots=/etc/ssl/certs/ca-certificates.crt
[ -r "$roots" ] || roots=/dev/null
if [ -s "$chain" ]; then
    result=$(cat "$roots" "$chain" | openssl verify -CAfile /dev/stdin -untrusted "$chain" "$cert" 2>&1)
else
    result=$(openssl verify -CAfile "$roots" "$cert" 2>&1)
fi
case $result in
    *": OK") echo "chain: $result" ;;
    *) echo "the chain is not complete: $(printf '%s\n' "$result" | grep -m1 'error') (put the intermediates after the certificate in $cert)" >&2; bad=1 ;;
esac
[ "$bad" = 0 ] && echo "$cert: key matches, valid until $end, covers $server_name"
exit "$bad"
