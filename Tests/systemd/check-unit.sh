#!/usr/bin/env bash
# Checks the systemd integration of extravasd: scripts/install and scripts/uninstall,
# the unit (systemd-analyze verify and security), the journal catalog (parsed by
# journalctl, and shown by `journalctl -x` under a real entry).
#
#   Tests/systemd/check-unit.sh
#   EXTRAVASD_BINARY=.build/debug/extravasd Tests/systemd/check-unit.sh
#
# Works without systemd as PID 1 (a container, CI). The journal round trip (d) needs
# root and a journald listening on /run/systemd/journal/socket (scripts/ensure-journald
# starts one); without them it is skipped, saying so.
#
# The binary installed into the temporary root is $EXTRAVASD_BINARY, else
# .build/release/extravasd, else a stub script: nothing here runs it, the unit checks
# only need an executable at ExecStart=.
#
# Side effects on the real system, only in (d) and only as root: the catalog is
# installed as /usr/lib/systemd/catalog/extravasd.catalog and the catalog database is
# rebuilt; both are restored at exit (a pre-existing extravasd.catalog is put back).
# One journal entry is written: PRIORITY 6, SYSLOG_IDENTIFIER=extravasd-check-unit,
# MESSAGE_ID of a suspected extravasation and EXTRAVASD_TEST_ID=<random>; it is not
# from extravasd (readers of alerts select SYSLOG_IDENTIFIER=extravasd).
#
# Output: one line per check (ok / FAIL / skip), then "N passed, N failed" as the last
# line; the exit status is 1 when any check failed.
set -u

repo=$(cd "$(dirname "$0")/../.." && pwd)
unit_src=$repo/systemd/extravasd.service
catalog_src=$repo/systemd/extravasd.catalog
example=$repo/config/extravasd.example.yaml

passed=0
failed=0
ok() { passed=$((passed + 1)); printf 'ok   - %s\n' "$1"; }
not_ok() {
  failed=$((failed + 1))
  printf 'FAIL - %s\n' "$1"
  if [ -n "${2:-}" ]; then printf '%s\n' "$2" | sed 's/^/       /'; fi
}
skip() { printf 'skip - %s\n' "$1"; }
# check DESCRIPTION COMMAND...: passes when COMMAND exits 0; shows its output if not.
check() {
  local description=$1 output
  shift
  if output=$("$@" 2>&1); then ok "$description"; else not_ok "$description" "$output"; fi
}

tmp=$(mktemp -d /tmp/extravasd-check-unit.XXXXXX)
system_catalog=/usr/lib/systemd/catalog/extravasd.catalog
catalog_touched=no
cleanup() {
  if [ "$catalog_touched" = yes ]; then
    if [ -f "$tmp/catalog.backup" ]; then
      cp -p "$tmp/catalog.backup" "$system_catalog"
    else
      rm -f "$system_catalog"
    fi
    journalctl --update-catalog >/dev/null 2>&1 || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A minimal image of this host under $1, enough for `systemd-analyze verify --root`:
# Debian's merged /usr, the host's own unit files (so that sysinit.target,
# network-online.target, systemd-journald.socket ... resolve) and the host's /bin/kill
# (ExecReload=). Everything extravasd adds comes from scripts/install.
make_root() {
  local root=$1
  mkdir -p "$root/usr/bin" "$root/usr/lib/systemd" "$root/etc"
  ln -s usr/bin "$root/bin"
  ln -s usr/lib "$root/lib"
  cp -a /usr/lib/systemd/system "$root/usr/lib/systemd/system"
  if [ -x /bin/kill ]; then
    cp /bin/kill "$root/usr/bin/kill"
  else
    # Not the unit's fault: this host lacks procps. Stand in for it so the unit can
    # still be verified, and say that reload needs it on a real host.
    printf '#!/bin/sh\nexit 0\n' > "$root/usr/bin/kill"
    chmod 0755 "$root/usr/bin/kill"
    echo "note: /bin/kill (procps) is missing on this host; ExecReload= needs it on a real host" >&2
  fi
}

# --- (a) install into a temporary root ---------------------------------------------------
binary=${EXTRAVASD_BINARY:-}
if [ -n "$binary" ]; then
  if [ ! -x "$binary" ]; then
    not_ok "EXTRAVASD_BINARY=$binary is an executable" "no executable file there"
    binary=""
  fi
elif [ -x "$repo/.build/release/extravasd" ]; then
  binary=$repo/.build/release/extravasd
fi
if [ -z "$binary" ]; then
  binary=$tmp/extravasd-stub
  printf '#!/bin/sh\necho "extravasd stub for check-unit.sh" >&2\nexit 1\n' > "$binary"
  chmod 0755 "$binary"
  echo "note: installing a stub binary (set EXTRAVASD_BINARY or build .build/release/extravasd for the real one)"
fi

root=$tmp/root
make_root "$root"
check "scripts/install into DESTDIR=$root (PREFIX=/usr/local)" \
  env DESTDIR="$root" PREFIX=/usr/local EXTRAVASD_BINARY="$binary" "$repo/scripts/install"

installed_unit=$root/etc/systemd/system/extravasd.service
installed_catalog=$root/usr/lib/systemd/catalog/extravasd.catalog
installed_config=$root/etc/extravasd/extravasd.yaml
installed_binary=$root/usr/local/bin/extravasd
# file_mode PATH MODE: the file exists with that mode.
file_mode() { [ -f "$1" ] && [ "$(stat -c %a "$1")" = "$2" ] || { ls -l "$1" 2>&1; return 1; }; }
check "binary installed as /usr/local/bin/extravasd, mode 755" file_mode "$installed_binary" 755
check "installed binary is the one given" cmp "$binary" "$installed_binary"
check "unit installed as /etc/systemd/system/extravasd.service, mode 644" file_mode "$installed_unit" 644
check "catalog installed as /usr/lib/systemd/catalog/extravasd.catalog, mode 644" file_mode "$installed_catalog" 644
check "default config installed as /etc/extravasd/extravasd.yaml, mode 644" file_mode "$installed_config" 644
check "installed config is config/extravasd.example.yaml" cmp "$example" "$installed_config"
check "installed unit runs the installed binary" \
  grep -Fqx 'ExecStart=/usr/local/bin/extravasd run --config /etc/extravasd/extravasd.yaml' "$installed_unit"
check "catalog database built in the temporary root" test -s "$root/var/lib/systemd/catalog/database"

# --- (b) systemd-analyze verify ------------------------------------------------------------
# Against the temporary root: every dependency resolves to the host's own unit files
# and ExecStart=/ExecReload= to files in the root. No output is expected at all; no
# message is filtered (none is needed: --root avoids the "not executable" and missing
# unit complaints that verifying a staged file against the live host would give).
# verify_clean ROOT UNIT
verify_clean() {
  local output
  output=$(systemd-analyze verify --root="$1" "$2" 2>&1) || { printf '%s\n' "$output"; return 1; }
  [ -z "$output" ] || { printf '%s\n' "$output"; return 1; }
}
check "systemd-analyze verify --root: installed unit, no warnings" \
  verify_clean "$root" /etc/systemd/system/extravasd.service
# Negative control: the same check must catch a typo in a setting and a missing binary
# (proves that verify reads this unit and that the check would fail on a bad one).
sed 's/^ProtectSystem=strict/ProtectSytem=strict/' "$installed_unit" \
  > "$root/etc/systemd/system/extravasd-typo.service"
sed 's|^ExecStart=/usr/local/bin/extravasd|ExecStart=/usr/local/bin/extravasd-missing|' "$installed_unit" \
  > "$root/etc/systemd/system/extravasd-nobinary.service"
if verify_clean "$root" /etc/systemd/system/extravasd-typo.service >/dev/null 2>&1; then
  not_ok "verify check catches a misspelt setting (negative control)"
else
  ok "verify check catches a misspelt setting (negative control)"
fi
if verify_clean "$root" /etc/systemd/system/extravasd-nobinary.service >/dev/null 2>&1; then
  not_ok "verify check catches a missing ExecStart binary (negative control)"
else
  ok "verify check catches a missing ExecStart binary (negative control)"
fi
rm -f "$root/etc/systemd/system/extravasd-typo.service" "$root/etc/systemd/system/extravasd-nobinary.service"

# Another PREFIX: ExecStart= and the documentation path follow it.
root_usr=$tmp/root-usr
make_root "$root_usr"
check "scripts/install with PREFIX=/usr" \
  env DESTDIR="$root_usr" PREFIX=/usr EXTRAVASD_BINARY="$binary" "$repo/scripts/install"
check "PREFIX=/usr: ExecStart=/usr/bin/extravasd" \
  grep -Fqx 'ExecStart=/usr/bin/extravasd run --config /etc/extravasd/extravasd.yaml' \
  "$root_usr/etc/systemd/system/extravasd.service"
check "PREFIX=/usr: no /usr/local path left in unit or catalog (outside comments)" \
  sh -c '! grep -Hn -v "^#" "$1" "$2" | grep /usr/local' sh \
  "$root_usr/etc/systemd/system/extravasd.service" "$root_usr/usr/lib/systemd/catalog/extravasd.catalog"
check "PREFIX=/usr: systemd-analyze verify --root, no warnings" \
  verify_clean "$root_usr" /etc/systemd/system/extravasd.service

# The unit's contract (DESIGN.md section 8 and the unit's required settings).
for line in \
  'Type=notify' \
  'NotifyAccess=main' \
  'ExecStart=/usr/local/bin/extravasd run --config /etc/extravasd/extravasd.yaml' \
  'ExecReload=/bin/kill -HUP $MAINPID' \
  'WatchdogSec=30s' \
  'Restart=on-failure' \
  'RestartPreventExitStatus=78' \
  'DynamicUser=yes' \
  'StateDirectory=extravasd' \
  'StateDirectoryMode=0700' \
  'ConfigurationDirectory=extravasd' \
  'SupplementaryGroups=systemd-journal' \
  'LogRateLimitIntervalSec=0' \
  'LogRateLimitBurst=0' \
  'MemoryDenyWriteExecute=yes' \
  'SystemCallErrorNumber=EPERM' \
  'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6' \
  'IPAddressDeny=any' \
  'IPAddressAllow=localhost' \
  'ProtectSystem=strict' \
  'PrivateUsers=yes' \
  'UMask=0077' \
  'LimitCORE=0' \
  'MemoryMax=1G' \
  'CapabilityBoundingSet=' \
  'NoNewPrivileges=yes'; do
  check "unit sets $line" grep -Fqx -- "$line" "$unit_src"
done
check "unit sets TimeoutStopSec=" grep -Eq '^TimeoutStopSec=[0-9]+' "$unit_src"

# --- (c) systemd-analyze security ------------------------------------------------------------
# --threshold=10 means an exposure of 1.0: the command fails above it.
security_ok() {
  local output
  output=$(systemd-analyze security --offline=true --threshold=10 "$@" 2>&1)
  local status=$?
  [ "$status" -eq 0 ] || { printf '%s\n' "$output" | grep -E '^✗|Overall'; return 1; }
}
check "systemd-analyze security --offline=true --threshold=10 systemd/extravasd.service" \
  security_ok "$unit_src"
check "same for the installed unit (--root)" \
  security_ok --root="$root" extravasd.service
printf 'exposure: %s\n' \
  "$(systemd-analyze security --offline=true "$unit_src" 2>/dev/null | sed -n 's/.*Overall exposure level for [^:]*: //p')"

# --- the catalog -----------------------------------------------------------------------------
alert_ids="751bbc47ee744393bc95affcf7ff9db6 a853b3db45a349329c8f566d2399b128 bda1cb9cdf0f4429b333659a26bc44c7 38645c32a78b44dd9deb93a9e58354d3"
other_ids="b58e71387e6848038cc9bd8d4082be8e a722fa1c55da4811baa2bbfc9aeddd10 f91e211ae96a48ccb4061ab8fe7b7dc5 be6f9d17828147a5b4bdd75009a48485 0f801e5c862c41469ec94612fdcc179d"
# entry ID: the catalog entry for ID (header and body).
entry() { awk -v id="$1" '/^-- /{p = ($2 == id)} p' "$catalog_src"; }
has_headers() {
  local text
  text=$(entry "$1")
  [ -n "$text" ] || { echo "no entry"; return 1; }
  for header in '^Subject: .+' '^Defined-By: extravasd$' '^Support: .+' '^Documentation: .*(man:journalctl\(1\)|README)'; do
    printf '%s\n' "$text" | grep -Eq "$header" || { echo "missing $header"; return 1; }
  done
}
has_phrases() {
  local id=$1 text missing=""
  shift
  text=$(entry "$id")
  for phrase in "$@"; do
    printf '%s\n' "$text" | grep -Fqi -- "$phrase" || missing="$missing '$phrase'"
  done
  [ -z "$missing" ] || { echo "missing:$missing"; return 1; }
}
catalog_listing=$(journalctl --root="$root" --list-catalog 2>&1)
for id in $alert_ids $other_ids; do
  check "catalog entry $id: Subject, Defined-By, Support, Documentation" has_headers "$id"
  check "catalog entry $id: parsed by journalctl --update-catalog" \
    grep -Eq "^$id extravasd: " <<<"$catalog_listing"
done
ack='extravasd ack @EXTRAVASD_ALERT_ID@ --by NAME --disposition confirmed|not-extravasation|infusion-stopped|other'
for id in $alert_ids; do
  check "catalog entry $id: how to acknowledge" has_phrases "$id" "$ack"
done
check "catalog, suspected: what happened and what the nurse does" has_phrases 751bbc47ee744393bc95affcf7ff9db6 \
  '@EXTRAVASD_SITE@' '@EXTRAVASD_SIGNS@' '@EXTRAVASD_DRUG@' '@EXTRAVASD_SEVERITY@' '@EXTRAVASD_PATIENT@' \
  '@EXTRAVASD_LOCATION@' 'Stop the infusion' 'Do not flush' 'aspirate' 'Mark the border' 'Elevate the limb' \
  'extravasation protocol' 'hyaluronidase' 'prescriber' 'pharmacist' 'Document'
check "catalog, escalated: what happened and what the nurse does" has_phrases a853b3db45a349329c8f566d2399b128 \
  '@EXTRAVASD_SITE@' '@EXTRAVASD_SIGNS@' 'stop it' 'Do not flush' 'aspirate' 'Mark the border' \
  'Elevate the limb' 'extravasation protocol' 'hyaluronidase' 'prescriber' 'pharmacist' 'Document'
check "catalog, calcinosis: late sign, dermatology, wound care, imaging" has_phrases bda1cb9cdf0f4429b333659a26bc44c7 \
  '@EXTRAVASD_SITE@' 'late sign' 'dermatology' 'wound care' 'imaging' 'X-ray'
check "catalog, reminder: stop the infusion" has_phrases 38645c32a78b44dd9deb93a9e58354d3 \
  'Stop the infusion' 'Do not flush' 'extravasation protocol' 'raised once' 'review.group'
check "catalog, acknowledgement: who and disposition" has_phrases b58e71387e6848038cc9bd8d4082be8e \
  '@EXTRAVASD_ACK_BY@' '@EXTRAVASD_DISPOSITION@' '@EXTRAVASD_NOTE@' 'review.group' 'reminders.suppress_hours' \
  'changes nothing'
check "catalog, malformed: source, offset, reason, what to check" has_phrases a722fa1c55da4811baa2bbfc9aeddd10 \
  '@EXTRAVASD_SOURCE@' '@EXTRAVASD_OFFSET@' '@EXTRAVASD_REASON@' 'extravasd inspect' 'dead-letter'
check "catalog, feed events: every event named" has_phrases f91e211ae96a48ccb4061ab8fe7b7dc5 \
  '@EXTRAVASD_EVENT@' opened rotated truncated closed orphan_segments SupplementaryGroups
check "catalog, lifecycle: every event named" has_phrases be6f9d17828147a5b4bdd75009a48485 \
  '@EXTRAVASD_EVENT@' started ready reloaded reload_failed stopping check-config escalation_suppressed
check "catalog, state store failure: what to check" has_phrases 0f801e5c862c41469ec94612fdcc179d \
  'df -h' 'integrity_check'
# Substitutions: only A-Z and _ work, and each must be a field extravasd sends.
known_fields=" EXTRAVASD_ALERT_ID EXTRAVASD_KIND EXTRAVASD_SEVERITY EXTRAVASD_PATIENT EXTRAVASD_VISIT \
EXTRAVASD_LOCATION EXTRAVASD_SITE EXTRAVASD_OBSERVED_SITE EXTRAVASD_SITE_MATCH EXTRAVASD_SIGNS EXTRAVASD_DRUG \
EXTRAVASD_ORDER EXTRAVASD_INFUSION_ACTIVE EXTRAVASD_RISK_FACTORS EXTRAVASD_OBSERVED_AT EXTRAVASD_SOURCE \
EXTRAVASD_CONTROL_ID EXTRAVASD_REPLAY EXTRAVASD_ACK_BY EXTRAVASD_DISPOSITION EXTRAVASD_NOTE EXTRAVASD_OFFSET \
EXTRAVASD_REASON EXTRAVASD_EVENT "
substitutions_known() {
  local bad=""
  for field in $(grep -v '^#' "$catalog_src" | grep -o '@[^@[:space:]]*@' | tr -d @ | sort -u); do
    case $known_fields in *" $field "*) ;; *) bad="$bad $field" ;; esac
  done
  [ -z "$bad" ] || { echo "unknown or invalid substitutions:$bad"; return 1; }
}
check "catalog substitutions are fields extravasd sends (A-Z and _ only)" substitutions_known

# --- (d) journalctl -x on a real entry ----------------------------------------------------------
journal_round_trip() {
  local test_id alert_id output
  test_id=$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
  alert_id=checkunit$test_id
  install -m 0644 "$installed_catalog" "$system_catalog" || return 1
  journalctl --update-catalog || return 1
  logger --journald <<EOF || return 1
MESSAGE=check-unit.sh catalog test (not an alert) $test_id
MESSAGE_ID=751bbc47ee744393bc95affcf7ff9db6
PRIORITY=6
SYSLOG_IDENTIFIER=extravasd-check-unit
EXTRAVASD_TEST_ID=$test_id
EXTRAVASD_ALERT_ID=$alert_id
EXTRAVASD_KIND=extravasation_suspected
EXTRAVASD_SEVERITY=critical
EXTRAVASD_PATIENT=TEST-0000
EXTRAVASD_LOCATION=TESTWARD/1/A
EXTRAVASD_SITE=left-heel
EXTRAVASD_SIGNS=erythema,pain,swelling
EXTRAVASD_DRUG=Calcium gluconate 10% inj (test)
EXTRAVASD_ORDER=0000
EXTRAVASD_OBSERVED_SITE=left-heel
EXTRAVASD_SITE_MATCH=exact
EXTRAVASD_INFUSION_ACTIVE=1
EXTRAVASD_RISK_FACTORS=infant,renal_failure
EXTRAVASD_OBSERVED_AT=2024-03-04T08:15:00+00:00
EXTRAVASD_SOURCE=file:/var/spool/hl7/check-unit.hl7:0
EXTRAVASD_CONTROL_ID=CHECKUNIT1
EOF
  journalctl --sync || return 1
  output=$(journalctl -x --no-pager -o short MESSAGE_ID=751bbc47ee744393bc95affcf7ff9db6 "EXTRAVASD_TEST_ID=$test_id")
  local missing=""
  for phrase in "check-unit.sh catalog test (not an alert) $test_id" \
    'Subject: Suspected extravasation at left-heel (critical): act now' \
    'erythema,pain,swelling at left-heel' 'Stop the infusion at once' \
    "extravasd ack $alert_id --by NAME --disposition"; do
    grep -Fq -- "$phrase" <<<"$output" || missing="$missing '$phrase'"
  done
  # The entry carries every field an alert carries: each @FIELD@ of the catalog entry
  # must have been replaced by its value, none left as a bare field name.
  if grep -q 'EXTRAVASD_' <<<"$output"; then missing="$missing (a field not substituted: $(grep -o 'EXTRAVASD_[A-Z_]*' <<<"$output" | sort -u | tr '\n' ' '))"; fi
  [ -z "$missing" ] || { printf 'missing:%s\njournalctl -x printed:\n%s\n' "$missing" "$output"; return 1; }
}
if [ "$(id -u)" -ne 0 ]; then
  skip "journalctl -x shows the catalog: needs root (installs into /usr/lib/systemd/catalog)"
elif [ ! -S /run/systemd/journal/socket ]; then
  skip "journalctl -x shows the catalog: no journald socket at /run/systemd/journal/socket (scripts/ensure-journald starts one)"
elif ! journalctl --sync >/dev/null 2>&1; then
  skip "journalctl -x shows the catalog: journald does not answer journalctl --sync"
elif ! logger --help 2>&1 | grep -q -- '--journald'; then
  skip "journalctl -x shows the catalog: this logger (util-linux) has no --journald"
else
  # Two runs at once would back up each other's catalog: take a lock, held until exit
  # (after cleanup has restored the catalog).
  exec 9>/run/extravasd-check-unit.lock
  flock -w 120 9 || echo "note: could not lock /run/extravasd-check-unit.lock; going on" >&2
  # Here, not in journal_round_trip: `check` runs it in a subshell, and cleanup (in this
  # shell) must know to restore the system catalog.
  if [ -f "$system_catalog" ]; then cp -p "$system_catalog" "$tmp/catalog.backup"; fi
  catalog_touched=yes
  check "journalctl -x shows the catalog text, with the entry's fields, under a suspected-extravasation entry" \
    journal_round_trip
fi

# --- (e) uninstall --------------------------------------------------------------------------------
check "scripts/uninstall from DESTDIR=$root" env DESTDIR="$root" PREFIX=/usr/local "$repo/scripts/uninstall"
gone() {
  local left=""
  for path in "$@"; do if [ -e "$path" ] || [ -L "$path" ]; then left="$left $path"; fi; done
  [ -z "$left" ] || { echo "still there:$left"; return 1; }
}
check "uninstall removed binary, unit, catalog, docs, unchanged config, catalog database" gone \
  "$installed_binary" "$installed_unit" "$installed_catalog" "$installed_config" \
  "$root/etc/extravasd" "$root/usr/local/share/doc/extravasd" "$root/var/lib/systemd/catalog/database"
check "nothing else extravasd-named left in the root" \
  sh -c '! find "$1" -name "*extravasd*" | grep .' sh "$root"

# A site's configuration survives reinstall and uninstall.
echo "# site change" >> "$root_usr/etc/extravasd/extravasd.yaml"
cp "$root_usr/etc/extravasd/extravasd.yaml" "$tmp/site.yaml"
check "reinstall over a changed config" \
  env DESTDIR="$root_usr" PREFIX=/usr EXTRAVASD_BINARY="$binary" "$repo/scripts/install"
check "reinstall kept the site's config" cmp "$tmp/site.yaml" "$root_usr/etc/extravasd/extravasd.yaml"
check "scripts/uninstall from DESTDIR=$root_usr (PREFIX=/usr)" \
  env DESTDIR="$root_usr" PREFIX=/usr "$repo/scripts/uninstall"
check "uninstall kept the site's changed config" cmp "$tmp/site.yaml" "$root_usr/etc/extravasd/extravasd.yaml"
check "uninstall removed the rest (PREFIX=/usr)" gone \
  "$root_usr/usr/bin/extravasd" "$root_usr/etc/systemd/system/extravasd.service" \
  "$root_usr/usr/lib/systemd/catalog/extravasd.catalog" "$root_usr/usr/share/doc/extravasd"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
