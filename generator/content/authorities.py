"""content/authorities.yaml: the authorities that issue releases."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, get_args

from generator.content.contacts import WEB_URL, read_contact, read_phone
from generator.content.fields import Fields, Invalid, kind_of
from generator.content.files import AUTHORITIES_FILE, FileProblem, load_yaml, read_text
from generator.content.media_refs import MediaFinder
from generator.content.yaml_source import Key, YamlSource
from generator.core.errors import Message, Problem, suggestion
from generator.core.models import Authority, AuthorityType, Contact, Image, Language, TipLine

AUTHORITY_KEYS = ("name", "code", "city", "type", "website", "logo", "contact", "tips", "description")
TIP_KEYS = ("phone", "text", "url")
LOGO_KEYS = ("src", "alt")
AUTHORITY_TYPES: tuple[AuthorityType, ...] = get_args(AuthorityType)
AUTHORITY_ID = re.compile(r"^[a-z0-9-]+$")
AUTHORITY_CODE = re.compile(r"^[A-ZÄÖÜ0-9]+(-[A-ZÄÖÜ0-9]+)*$")
# The type an authority has when `type` is not given, by the first part of its code as the wire
# writes it (POL-GE, BPOL-NRW, FW-GE, STADT-GE). A code that shows none of them is "other".
TYPE_OF_CODE: dict[str, AuthorityType] = {
    "POL": "police", "BPOL": "police", "BPOLD": "police", "BPOLI": "police", "LKA": "police",
    "FW": "fire", "BF": "fire", "FF": "fire",
    "STADT": "city", "KREIS": "city", "GEMEINDE": "city",
}
# A police office that names no tip line takes the one that always works. The other types get
# none: an appeal of theirs is rare, and 112 is for emergencies, not for what someone saw.
DEFAULT_TIP_TEXT: dict[Language, str] = {"de": "Notruf", "en": "Emergency"}
POLICE_EMERGENCY = "110"


def default_type(code: str) -> AuthorityType:
    """The type that an authority with `code` has unless it says otherwise."""
    return TYPE_OF_CODE.get(code.split("-", 1)[0], "other")


def load_authorities(site: Path, language: Language = "de") -> tuple[dict[str, Authority], list[Problem]]:
    """The authorities; `language` (the site's `content_language`) is that of default texts."""
    path = site / AUTHORITIES_FILE
    shown = AUTHORITIES_FILE
    if not path.is_file():
        return {}, [Problem(shown, 1, Message("%(file)s is missing; it lists the authorities that issue "
                                              "releases (id: {name, code, city})", file=AUTHORITIES_FILE))]
    try:
        source = YamlSource(path, read_text(path, shown))
        data = load_yaml(source, shown)
    except FileProblem as exc:
        return {}, exc.problems
    if not isinstance(data, dict) or not data:
        return {}, [Problem(shown, 1, Message("authorities.yaml must map authority ids to their name, code and city"))]
    problems: list[Problem] = []
    fields = Fields(source, shown, problems)
    authorities: dict[str, Authority] = {}
    reader = _AuthorityReader(fields, MediaFinder(site, path.parent, fields, relative_to=AUTHORITIES_FILE),
                              language)
    for key in sorted(data, key=str):
        authority = reader.authority(key, data[key])
        if authority is not None:
            authorities[authority.id] = authority
    return authorities, problems


class _AuthorityReader:
    """Reads one entry of authorities.yaml after the other, recording each problem with its line."""

    def __init__(self, fields: Fields, media: MediaFinder, language: Language) -> None:
        self.fields = fields
        self.media = media
        self.language = language

    def authority(self, key: Any, value: Any) -> Authority | None:
        fields = self.fields
        authority_id = str(key)
        if not AUTHORITY_ID.match(authority_id):
            fields.fail((key,), Message('authority id "%(id)s" may only contain a-z, 0-9 and "-"', id=authority_id))
            return None
        try:
            entry = fields.mapping(value, (key,), AUTHORITY_KEYS, Message('authority "%(id)s"', id=authority_id))
        except Invalid:
            return None
        name = fields.text(entry, "name", (key,), required=True)
        code = fields.text(entry, "code", (key,), required=True)
        city = fields.text(entry, "city", (key,), required=True)
        if code and not AUTHORITY_CODE.match(code):
            fields.fail((key, "code"), Message('code "%(code)s" must be capitals and digits joined by "-", like POL-GE',
                                               code=code))
            code = None
        website = fields.text(entry, "website", (key,))
        if website and not WEB_URL.match(website):
            fields.fail((key, "website"), Message('website "%(url)s" must be an http(s) URL', url=website))
            website = None
        contact = read_contact(fields, entry.get("contact"), (key, "contact")) if "contact" in entry else Contact()
        kind = self.type(entry, key, code)
        tips = self.tips(entry, key, kind)
        logo = self.logo(entry.get("logo"), (key, "logo"), name) if entry.get("logo") is not None else None
        if not (name and code and city):
            return None
        return Authority(id=authority_id, name=name, code=code, city=city, website=website, contact=contact,
                         description=fields.text(entry, "description", (key,)), type=kind, tips=tips, logo=logo)

    def type(self, entry: dict[str, Any], key: Key, code: str | None) -> AuthorityType:
        default = default_type(code or "")
        given = self.fields.text(entry, "type", (key,))
        if given is None:
            return default
        for known in AUTHORITY_TYPES:
            if given == known:
                return known
        self.fields.fail((key, "type"), Message('type must be one of %(choices)s, not "%(given)s"%(hint)s',
                                                choices=", ".join(AUTHORITY_TYPES), given=given,
                                                hint=suggestion(given, AUTHORITY_TYPES)))
        return default

    def tips(self, entry: dict[str, Any], key: Key, kind: AuthorityType) -> tuple[TipLine, ...]:
        """`tips:` as given (one mapping or a list of them; `tips: []` for none), else the default."""
        if "tips" not in entry:
            return (TipLine(phone=POLICE_EMERGENCY, text=DEFAULT_TIP_TEXT[self.language]),) if kind == "police" else ()
        value = entry["tips"]
        if isinstance(value, dict):
            try:
                one = self.tip(value, (key, "tips"))
            except Invalid:
                return ()
            return () if one is None else (one,)
        if value is None:
            return ()
        return tuple(t for t in self.fields.items(entry, "tips", (key,), self.tip) if t is not None)

    def tip(self, value: Any, keys: tuple[Key, ...]) -> TipLine | None:
        fields = self.fields
        data = fields.mapping(value, keys, TIP_KEYS, Message("a tip line"))
        text = fields.text(data, "text", keys, required=True)
        phone = read_phone(fields, data, keys, required=True)
        url = fields.text(data, "url", keys)
        if url and not WEB_URL.match(url):
            fields.fail((*keys, "url"), Message('"%(url)s" must be an http(s) URL', url=url))
            url = None
        if text is None or phone is None:
            return None
        return TipLine(phone=phone, text=text, url=url)

    def logo(self, value: Any, keys: tuple[Key, ...], name: str | None) -> Image | None:
        """`logo: file.png` or `logo: {src: file.png, alt: …}`; the image is checked like a release's."""
        fields = self.fields
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            data: dict[str, Any] = {"src": value}
        elif isinstance(value, dict):
            try:
                data = fields.mapping(value, keys, LOGO_KEYS, Message("a logo"))
            except Invalid:
                return None
        else:
            fields.fail(keys, Message('"logo" must be the path of an image, or a mapping of src and alt, not %(found)s',
                                      found=kind_of(value)))
            return None
        alt = fields.text(data, "alt", keys)
        try:
            image = self.media.image({"src": data.get("src"), "alt": alt or name or "logo"}, keys)
        except Invalid:
            return None
        return image
