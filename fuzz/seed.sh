#!/usr/bin/env bash
# Seeds fuzz/corpus/<target>/ from testdata/ and ../shared/samples/ (by kind). The corpora are
# not committed (they grow while fuzzing); this makes them again on any machine.
set -euo pipefail
cd "$(dirname "$0")/.."
samples="${SAMPLES:-../shared/samples}"
seed() {
    local target="$1"
    shift
    mkdir -p "fuzz/corpus/$target"
    find testdata "$samples" -type f \( "$@" \) -size -256k 2>/dev/null |
        while read -r f; do
            cp "$f" "fuzz/corpus/$target/$(sha1sum "$f" | cut -c1-16)"
        done
}
seed der -name '*.cer' -o -name '*.crt' -o -name '*.der' -o -name '*.crl' -o -name '*.p7b' -o -name '*.pfx'
seed pem -name '*.pem' -o -name '*.crttest' -o -name '*.crltest' -o -name '*.cer' -o -name '*.key'
seed registry -name '*.reg'
seed xml -name '*.xml'
seed intune -name '*.json'
seed powershell -name '*.ps1'
seed dsc -name '*.ps1'
seed yaml -name '*.yaml' -o -name '*.yml'
seed nps_export -name '*_npsconfig.txt'
# The rule files are YAML of every construct the backups use (and more): seeds for the parser.
for f in rules/*/*.yaml; do cp "$f" "fuzz/corpus/yaml/$(sha1sum "$f" | cut -c1-16)"; done
# Store blobs: each certificate as property 32 of a blob, as a store export keeps it.
mkdir -p fuzz/corpus/store_blob
find testdata -type f -name '*.cer' -size -16k | head -50 | while read -r f; do
    python3 -c 'import struct,sys; d=open(sys.argv[1],"rb").read(); sys.stdout.buffer.write(struct.pack("<III",32,1,len(d))+d)' "$f" \
        >"fuzz/corpus/store_blob/$(sha1sum "$f" | cut -c1-16)"
done
# The whole scan: small files of every kind, one per input (the target splits inputs at 0xFF).
seed scan -name '*.cer' -o -name '*.reg' -o -name '*.xml' -o -name '*.json' -o -name '*.crl' -o -name '*_npsconfig.txt' -o -name '*_authconfig.txt'
for d in fuzz/corpus/*/; do
    echo "$(basename "$d"): $(find "$d" -type f | wc -l) seeds"
done
