#!/usr/bin/env python3
"""Writes a large catalogue for benchmarks: N notifications x L languages of SMS copy.

Usage: bench/generate.py NOTIFICATIONS LANGUAGES OUT_DIR

The copy cycles through every OpenCRVS v1.5 key and uses only the variables OpenCRVS supplies
to each, so `crvs-comms check` has the full work to do and nothing to report.
"""
import os
import sys

INFORMANT = {
    "InProgressNotification": ["trackingId", "crvsOffice"],
    "DeclarationNotification": ["name", "trackingId"],
    "RegistrationNotification": ["name", "registrationNumber", "crvsOffice", "trackingId"],
    "RejectionNotification": ["trackingId", "crvsOffice"],
}
USER = {
    "authenticationCodeNotification": ["authCode"],
    "userCredentialsNotification": ["username", "password"],
    "resetUserPasswordNotification": ["password"],
    "retieveUserNameNotification": ["username"],
    "updateUserNameNotification": ["username"],
    "correctionApproved": ["firstNames", "trackingId"],
    "correctionRejected": ["trackingId", "reason"],
}
LANGS = ["en", "fr", "pt", "es", "sw", "ny", "bem", "ar", "am", "ha", "yo", "zu", "xh", "so", "rw"]


def kinds():
    for event in ("birth", "death"):
        for stage, variables in INFORMANT.items():
            yield f"{event}{stage}", "informant", event, variables
    for key, variables in USER.items():
        yield key, "user", None, variables


def main():
    count, languages, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    if languages > len(LANGS):
        sys.exit(f"at most {len(LANGS)} languages")
    langs = LANGS[:languages]
    os.makedirs(out, exist_ok=True)
    lines = [
        "# A generated catalogue for benchmarks.",
        "schema_version = 1",
        "revision = 1",
        "",
        "[settings]",
        'opencrvs = "1.5"',
        f"languages = {langs!r}".replace("'", '"'),
        'user_delivery = "sms"',
        'informant_delivery = "sms"',
        "",
    ]
    all_kinds = list(kinds())
    for i in range(count):
        base, audience, event, variables = all_kinds[i % len(all_kinds)]
        key = base if i < len(all_kinds) else f"{base}{i}"
        lines.append(f"[notifications.{key}]")
        lines.append(f'label = "Generated notification {i}"')
        lines.append(f'audience = "{audience}"')
        if event:
            lines.append(f'event = "{event}"')
        lines.append("enabled = true")
        if i >= len(all_kinds):
            declared = ", ".join(f'"{v}"' for v in variables)
            lines.append(f"variables = [{declared}]")
        for lang in langs:
            parts = " ".join(f"{v}: {{{{{v}}}}}." for v in variables)
            text = f"Message {i} in {lang}. {parts} Please keep this message for your records."
            lines.append(f'sms.{lang} = "{text}"')
        lines.append("")
    with open(os.path.join(out, "notifications.toml"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines))


if __name__ == "__main__":
    main()
