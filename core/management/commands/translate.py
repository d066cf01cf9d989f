"""Fill the English catalogue: list what is missing, or merge translations from JSON.

    python manage.py translate --missing            # JSON skeleton of untranslated entries
    python manage.py translate --merge en.json      # {"msgid": "translation", ...}

French is the source language, so only `locale/en` needs translating. Plural entries
take a list: {"Il reste %(n)s code": ["%(n)s code left", "%(n)s codes left"]}.
"""

import json
from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "List or fill missing English translations (locale/en)."

    def add_arguments(self, parser):
        parser.add_argument("--missing", action="store_true")
        parser.add_argument("--merge", metavar="JSON_FILE")
        parser.add_argument("--domain", default="django", choices=["django", "djangojs"])
        parser.add_argument("--language", default="en")

    def handle(self, *args, missing, merge, domain, language, **options):
        path = Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES" / f"{domain}.po"
        if not path.exists():
            raise CommandError(f"{path} does not exist: run `make makemessages` first.")
        catalogue = polib.pofile(str(path), wrapwidth=0)
        if merge:
            translations = json.loads(Path(merge).read_text(encoding="utf-8"))
            filled = 0
            for entry in catalogue:
                if entry.msgid not in translations:
                    continue
                value = translations[entry.msgid]
                if entry.msgid_plural:
                    if not isinstance(value, list) or len(value) != 2:
                        raise CommandError(f"Plural entry needs two forms: {entry.msgid!r}")
                    entry.msgstr_plural = {0: value[0], 1: value[1]}
                else:
                    entry.msgstr = value
                if "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
                filled += 1
            catalogue.save()
            self.stdout.write(f"{filled} entries filled in {path}")
        untranslated = [
            e
            for e in catalogue
            if not e.obsolete
            and ("fuzzy" in e.flags or not (e.msgstr or any(e.msgstr_plural.values())))
        ]
        if missing:
            skeleton = {e.msgid: (["", ""] if e.msgid_plural else "") for e in untranslated}
            self.stdout.write(json.dumps(skeleton, ensure_ascii=False, indent=1))
        elif not merge:
            self.stdout.write(f"{len(untranslated)} entries missing in {path}")
