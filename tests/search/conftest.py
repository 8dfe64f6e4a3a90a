from datetime import timedelta

import pytest
from django.utils import timezone

from directory import services
from directory.models import Business
from search import outbox
from search.backends import get_search_backend
from tests.conftest import profile_data

# The contract suite runs once per backend. The database backend also runs in
# the SQLite pass of `make test`; Elasticsearch needs the node `make test` starts.
BACKENDS = [pytest.param("elasticsearch", id="elasticsearch"), pytest.param("database", id="database", marks=pytest.mark.sqlite)]


@pytest.fixture(params=BACKENDS)
def backend(request, settings):
    settings.SEARCH_BACKEND = request.param
    if request.param == "elasticsearch":
        request.getfixturevalue("es_prefix")
    return get_search_backend(request.param)


def sync(backend):
    """Make what was written searchable: drain the outbox, refresh the index."""
    outbox.drain(backend=backend)
    if backend.name == "elasticsearch":
        backend.refresh()


NETWORK = [
    # name, city, language, description, offers_hs, offers_text, seeks_hs, seeks_text, naics, roles, languages
    ("Hanbit Brake Works", "seongnam", "ko", "한빛브레이크는 성남시의 자동차 브레이크 부품 제조업체입니다. 브레이크 패드와 디스크를 생산합니다.",
     ["870830"], "브레이크 패드, 브레이크 디스크", [], "", ["336340"], ["manufacturer", "exporter"], ["ko", "en"]),
    ("新北精密電子股份有限公司", "new-taipei-city", "zh-Hant", "我們是新北市的半導體及精密電子零件製造商，專營積體電路。",
     ["854231"], "處理器及控制器積體電路", ["847989"], "自動化設備", ["334413"], ["manufacturer", "exporter"], ["zh-Hant"]),
    ("Frenos Baeza", "chihuahua", "es", "Fabricamos frenos y discos de freno para vehículos comerciales en Chihuahua.",
     ["870830"], "pastillas y discos de freno", ["847989"], "maquinaria industrial", ["336340"], ["manufacturer"], ["es", "en"]),
    ("Lubuskie Meble", "zielona-gora", "pl", "Producent mebli drewnianych z Zielonej Góry. Eksportujemy meble do sypialni.",
     ["940360"], "meble drewniane", [], "", ["337122"], ["manufacturer", "exporter"], ["pl"]),
    ("Adama Sesame Export", "adama", "am", "በአዳማ ከተማ የሚገኝ የሰሊጥ ላኪ ድርጅት ነው። ጥራት ያለው ሰሊጥ እንልካለን።",
     ["120740"], "ሰሊጥ", ["847989"], "የማቀነባበሪያ ማሽኖች", ["111120"], ["exporter"], ["am", "en"]),
    ("Pura Vida Surf Shop", "jaco", "es", "Fabricamos tablas de surf artesanales en Jacó, Costa Rica.",
     ["950629"], "tablas de surf", [], "", ["339920"], ["manufacturer", "exporter"], ["es"]),
    ("Front Range Brake Supply", "aurora", "en", "Aurora distributor of brakes and brake rotors for fleet vehicles.",
     [], "", ["870830"], "brake pads and rotors", ["423120"], ["importer", "distributor"], ["en"]),
    ("Colfax Machinery", "aurora", "en", "Industrial machinery and automation equipment built in Aurora, Colorado.",
     ["847989"], "automation machinery", ["854231"], "microcontrollers", ["333998"], ["manufacturer", "exporter"], ["en", "es"]),
    ("Cherry Creek Coffee Roasters", "aurora", "en", "Specialty coffee roaster buying green coffee from growers.",
     [], "", ["090111"], "green coffee beans", ["311920"], ["importer"], ["en"]),
]


@pytest.fixture
def network(db, staff, make_user):
    """A small published network across languages, plus profiles that must never be found."""
    firms = {}
    for name, city, language, description, offers, offers_text, seeks, seeks_text, naics, roles, spoken in NETWORK:
        owner = make_user(f"owner-{len(firms)}")
        business = services.create_business(actor=owner, data=profile_data(
            name=name, city=city, description_language=language, description=description, offers_hs=offers,
            offers_text=offers_text, seeks_hs=seeks, seeks_text=seeks_text, naics=naics, trade_roles=roles,
            languages=spoken, contact_email=f"private{len(firms)}@secret.example", contact_phone=f"+1 303 555 01{len(firms):02d}",
        ))
        services.submit_business(actor=owner, business=business)
        firms[name] = services.publish_business(actor=staff, business=business, verify=name.startswith("Hanbit"))
    hidden_owner = make_user("hidden-owner")
    firms["draft"] = services.create_business(actor=hidden_owner, data=profile_data(
        name="Hidden Brake Draft", city="seongnam", offers_hs=["870830"], description="브레이크 초안"))
    lapsed = services.create_business(actor=hidden_owner, data=profile_data(
        name="Lapsed Brake Works", city="seongnam", offers_hs=["870830"], description="Brake maker"))
    services.submit_business(actor=hidden_owner, business=lapsed)
    lapsed = services.publish_business(actor=staff, business=lapsed)
    # A year and five days pass without a confirmation; the daily sweep notices.
    Business.objects.filter(pk=lapsed.pk).update(confirmed_at=timezone.now() - timedelta(days=370))
    outbox.queue_lapsed()
    firms["lapsed"] = lapsed
    return firms
