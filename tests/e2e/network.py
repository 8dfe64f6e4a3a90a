"""A small network for the page tests, built through the services: firms in
three cities, one introduction carried through to `introduced`, staff and
volunteers."""

from directory.models import City
from matching import introductions

PRIVATE = {
    "seongnam": ("hanbit-sales@hanbit.example", "+82 31 555 0101"),
    "aurora": ("buyer@frontrange.example", "+1 303 555 0142"),
    "adama": ("export@adama-sesame.example", "+251 22 555 0177"),
}


def build(*, make_user, make_business, staff):
    users = {name: make_user(name) for name in ("hanbit", "frontrange", "adama", "chihuahua-volunteer",
                                                  "seongnam-helper")}
    users["seongnam-helper"].volunteer_cities.set(City.objects.filter(slug="seongnam"))
    users["chihuahua-volunteer"].volunteer_cities.set(City.objects.filter(slug="chihuahua"))
    firms = {
        "seongnam": make_business(
            owner=users["hanbit"], name="Hanbit Brake Works", city="seongnam", description_language="ko",
            description="한빛브레이크는 성남시의 자동차 브레이크 부품 제조업체입니다.", offers_hs=["870830"], seeks_hs=[],
            offers_text="브레이크 패드", seeks_text="", naics=["336340"], trade_roles=["manufacturer", "exporter"],
            contact_email=PRIVATE["seongnam"][0], contact_phone=PRIVATE["seongnam"][1]),
        "aurora": make_business(
            owner=users["frontrange"], name="Front Range Brake Supply", city="aurora",
            contact_email=PRIVATE["aurora"][0], contact_phone=PRIVATE["aurora"][1]),
        "adama": make_business(
            owner=users["adama"], name="Adama Sesame Export", city="adama", description_language="am",
            description="በአዳማ ከተማ የሚገኝ የሰሊጥ ላኪ ድርጅት ነው።", offers_hs=["120740"], offers_text="ሰሊጥ",
            seeks_hs=[], seeks_text="", naics=["111120"], trade_roles=["exporter"],
            contact_email=PRIVATE["adama"][0], contact_phone=PRIVATE["adama"][1]),
    }
    introduction = introductions.request_introduction(
        actor=users["frontrange"], target=firms["seongnam"], message="We buy brake pads.")
    introductions.approve_introduction(actor=staff, introduction=introduction)
    introductions.accept_introduction(actor=users["frontrange"], introduction=introduction)
    introductions.accept_introduction(actor=users["hanbit"], introduction=introduction)
    return users, firms, introduction
