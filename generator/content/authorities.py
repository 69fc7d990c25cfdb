"""content/authorities.yaml: the authorities that issue releases."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from generator.content.contacts import WEB_URL, read_contact
from generator.content.fields import Fields, Invalid
from generator.content.files import AUTHORITIES_FILE, FileProblem, load_yaml, read_text
from generator.content.yaml_source import YamlSource
from generator.core.errors import Problem
from generator.core.models import Authority, Contact

AUTHORITY_KEYS = ("name", "code", "city", "website", "contact", "description")
AUTHORITY_ID = re.compile(r"^[a-z0-9-]+$")
AUTHORITY_CODE = re.compile(r"^[A-ZÄÖÜ0-9]+(-[A-ZÄÖÜ0-9]+)*$")


def load_authorities(site: Path) -> tuple[dict[str, Authority], list[Problem]]:
    path = site / AUTHORITIES_FILE
    shown = AUTHORITIES_FILE
    if not path.is_file():
        return {}, [Problem(shown, 1, f"{AUTHORITIES_FILE} is missing; it lists the authorities that issue "
                            "releases (id: {name, code, city})")]
    try:
        source = YamlSource(path, read_text(path, shown))
        data = load_yaml(source, shown)
    except FileProblem as exc:
        return {}, exc.problems
    if not isinstance(data, dict) or not data:
        return {}, [Problem(shown, 1, "authorities.yaml must map authority ids to their name, code and city")]
    problems: list[Problem] = []
    fields = Fields(source, shown, problems)
    authorities: dict[str, Authority] = {}
    for key in sorted(data, key=str):
        authority = _authority(fields, key, data[key])
        if authority is not None:
            authorities[authority.id] = authority
    return authorities, problems


def _authority(fields: Fields, key: Any, value: Any) -> Authority | None:
    authority_id = str(key)
    if not AUTHORITY_ID.match(authority_id):
        fields.fail((key,), f'authority id "{authority_id}" may only contain a-z, 0-9 and "-"')
        return None
    try:
        entry = fields.mapping(value, (key,), AUTHORITY_KEYS, f'authority "{authority_id}"')
    except Invalid:
        return None
    name = fields.text(entry, "name", (key,), required=True)
    code = fields.text(entry, "code", (key,), required=True)
    city = fields.text(entry, "city", (key,), required=True)
    if code and not AUTHORITY_CODE.match(code):
        fields.fail((key, "code"), f'code "{code}" must be capitals and digits joined by "-", like POL-GE')
        code = None
    website = fields.text(entry, "website", (key,))
    if website and not WEB_URL.match(website):
        fields.fail((key, "website"), f'website "{website}" must be an http(s) URL')
        website = None
    contact = read_contact(fields, entry.get("contact"), (key, "contact")) if "contact" in entry else Contact()
    if not (name and code and city):
        return None
    return Authority(id=authority_id, name=name, code=code, city=city, website=website, contact=contact,
                     description=fields.text(entry, "description", (key,)))
