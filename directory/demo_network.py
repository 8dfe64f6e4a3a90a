"""A seeded, deterministic generator of a realistic multilingual business network.

Used by ``make demo`` (via the load_demo command) to load a few hundred published
firms, and by tests to build large import files. Standard library only: no
Django, nothing from the project, so it also runs as a plain script:

    python directory/demo_network.py --count 3000 --seed 7 > file.jsonl

The network is shaped for trade matching. Aurora firms mostly *seek* the HS
subheadings that firms in the sister and friendship cities *offer* (brakes from
Seongnam, chips from New Taipei, green coffee from Adama, roses, pecans, denim,
furniture ...). Partner-city firms in turn seek what Aurora makes (machinery,
valves, medical devices, aircraft parts, beef, solar equipment). About one firm
in six states what it wants in words only (seeks_text without seeks_hs), so text
matching gets exercised too.

Every firm writes in its city's language and script: Korean, Traditional
Chinese, Amharic (Ge'ez script), Spanish, Polish or English. Descriptions are
built from per-language sentence templates and per-language product vocabulary,
and the products they name are always the firm's own HS codes.

Codes: HS 2022 six-digit subheadings and NAICS 2022 six-digit industries. Note
that HS 2022 split 0802.90 into 0802.91/0802.92 (pine nuts) and 0802.99, so
pecans are 080299 here, not the HS 2017 code 080290.
"""

import argparse
import functools
import json
import random
import sys
import unicodedata

__all__ = ["generate", "CITIES", "HS_CODES", "main"]

EMPLOYEE_BUCKETS = ("1-9", "10-49", "50-249", "250-999", "1000+")
_SIZE_WEIGHTS = {
    "small": (45, 38, 13, 4, 0),
    "mid": (12, 40, 33, 12, 3),
    "large": (3, 17, 37, 28, 15),
}

# name, ISO country, language, share of the network (percent)
CITIES = (
    ("Aurora", "US", "en", 30),
    ("Seongnam", "KR", "ko", 12),
    ("New Taipei City", "TW", "zh-Hant", 10),
    ("Chihuahua", "MX", "es", 10),
    ("Zielona Góra", "PL", "pl", 8),
    ("Adama", "ET", "am", 8),
    ("Ilopango", "SV", "es", 7),
    ("Jacó", "CR", "es", 7),
    ("Antiguo Cuscatlán", "SV", "es", 8),
)
_MIN_PER_CITY = 8  # whenever count >= 100

# --------------------------------------------------------------------------------------
# Product vocabulary: HS 2022 subheading -> phrase per language. A language left out
# (mostly Amharic) simply never names that product.
# --------------------------------------------------------------------------------------

_L = ("en", "ko", "zh-Hant", "es", "pl", "am")


def _p(en, ko, zh, es, pl, am=None):
    return {k: v for k, v in zip(_L, (en, ko, zh, es, pl, am)) if v}


PRODUCTS = {
    # vehicles and parts (chapter 87, 85)
    "870830": _p("brake pads and brake rotors", "브레이크 패드, 브레이크 디스크", "煞車來令片、煞車碟盤",
                 "pastillas y discos de freno", "klocki i tarcze hamulcowe", "የተሽከርካሪ ፍሬን መለዋወጫዎች"),
    "870840": _p("gearboxes and transmission parts", "변속기 및 변속기 부품", "變速箱及傳動零件",
                 "cajas de cambios y partes de transmisión", "skrzynie biegów i części przekładni"),
    "870850": _p("drive axles with differentials", "차동장치 부착 구동축", "差速器驅動軸",
                 "ejes motrices con diferencial", "osie napędowe z mechanizmem różnicowym"),
    "870899": _p("motor vehicle parts and accessories", "자동차 부품", "汽車零組件",
                 "autopartes y accesorios", "części i akcesoria samochodowe", "የተሽከርካሪ መለዋወጫ ዕቃዎች"),
    "870829": _p("body panels and body parts", "차체 부품", "車身鈑金零件",
                 "partes de carrocería", "elementy nadwozia"),
    "870870": _p("road wheels and rims", "자동차 휠", "汽車輪圈",
                 "rines y ruedas", "koła i obręcze samochodowe"),
    "870880": _p("suspension systems and shock absorbers", "서스펜션 및 쇼크업소버", "懸吊系統及避震器",
                 "sistemas de suspensión y amortiguadores", "układy zawieszenia i amortyzatory"),
    "870894": _p("steering wheels, columns and steering boxes", "조향장치 부품", "方向盤及轉向機",
                 "volantes, columnas y cajas de dirección", "kierownice i przekładnie kierownicze"),
    "854430": _p("automotive wiring harnesses", "자동차용 와이어링 하네스", "汽車線束",
                 "arneses eléctricos automotrices", "wiązki elektryczne do pojazdów"),
    "880730": _p("aircraft structural parts and assemblies", "항공기 구조 부품", "航空器結構零件",
                 "partes estructurales para aeronaves", "części konstrukcyjne statków powietrznych"),
    # electronics and semiconductors
    "854231": _p("processors and microcontrollers", "프로세서 및 마이크로컨트롤러 칩", "處理器及微控制器晶片",
                 "procesadores y microcontroladores", "procesory i mikrokontrolery"),
    "854232": _p("memory chips", "메모리 반도체", "記憶體晶片", "chips de memoria", "układy pamięci"),
    "854239": _p("analog and power-management ICs", "전력관리 반도체", "類比及電源管理IC",
                 "circuitos integrados analógicos y de potencia", "analogowe układy scalone"),
    "854143": _p("solar PV modules", "태양광 모듈", "太陽能光電模組", "módulos fotovoltaicos",
                 "moduły fotowoltaiczne", "የፀሐይ ኃይል ፓነሎች"),
    "850760": _p("lithium-ion battery cells and packs", "리튬이온 배터리 셀 및 팩", "鋰離子電池芯及電池組",
                 "baterías de ion de litio", "akumulatory litowo-jonowe", "የሊቲየም ባትሪዎች"),
    "850710": _p("lead-acid starter batteries", "자동차용 납축전지", "鉛酸啟動電池",
                 "baterías de plomo-ácido para arranque", "akumulatory rozruchowe kwasowo-ołowiowe", "የመኪና ባትሪዎች"),
    "847130": _p("laptop and rugged portable computers", "노트북 컴퓨터", "筆記型電腦",
                 "computadoras portátiles", "komputery przenośne", "ላፕቶፕ ኮምፒውተሮች"),
    "847180": _p("industrial computer units", "산업용 컴퓨터 장치", "工業電腦",
                 "unidades de cómputo industrial", "komputery przemysłowe"),
    "851762": _p("network switches and routers", "네트워크 장비", "網通設備",
                 "equipos de red", "urządzenia sieciowe"),
    "852852": _p("computer monitors", "모니터", "電腦顯示器", "monitores", "monitory komputerowe"),
    "853400": _p("printed circuit boards", "인쇄회로기판", "印刷電路板",
                 "tarjetas de circuito impreso", "płytki obwodów drukowanych"),
    "850440": _p("power supplies and inverters", "전원공급장치 및 인버터", "電源供應器及變流器",
                 "fuentes de poder e inversores", "zasilacze i falowniki", "ኢንቨርተሮች"),
    "900190": _p("optical lenses", "광학 렌즈", "光學鏡片", "lentes ópticos", "soczewki optyczne"),
    # machinery
    "847989": _p("industrial processing machinery", "산업용 기계", "專用機械設備",
                 "maquinaria industrial", "maszyny przemysłowe", "የማቀነባበሪያ ማሽኖች"),
    "848180": _p("industrial valves", "산업용 밸브", "工業閥門", "válvulas industriales",
                 "zawory przemysłowe", "የኢንዱስትሪ ቫልቮች"),
    "848620": _p("semiconductor manufacturing equipment", "반도체 제조장비", "半導體製程設備",
                 "equipos para fabricación de semiconductores", "urządzenia do produkcji półprzewodników"),
    "841861": _p("heat pumps", "히트펌프", "熱泵", "bombas de calor", "pompy ciepła"),
    # medical, pharma, cosmetics
    "901819": _p("patient monitoring and diagnostic equipment", "환자감시장치 및 진단기기", "病患監視及診斷設備",
                 "equipos de diagnóstico y monitoreo de pacientes",
                 "aparatura diagnostyczna i do monitorowania pacjentów", "የሕክምና መመርመሪያ መሣሪያዎች"),
    "901890": _p("medical and surgical instruments", "의료용 기기", "醫療器材",
                 "instrumentos médicos y quirúrgicos", "instrumenty medyczne i chirurgiczne", "የሕክምና መሣሪያዎች"),
    "901839": _p("catheters, needles and cannulae", "카테터 및 주사침", "導管及針頭",
                 "catéteres, agujas y cánulas", "cewniki, igły i kaniule"),
    "902190": _p("orthopedic and implantable devices", "정형외과용 임플란트", "骨科植入物",
                 "dispositivos ortopédicos e implantables", "implanty i wyroby ortopedyczne"),
    "300490": _p("generic medicines", "완제 의약품", "學名藥", "medicamentos genéricos",
                 "leki generyczne", "መድኃኒቶች"),
    "330499": _p("skincare and beauty products", "기초 화장품", "保養品",
                 "productos para el cuidado de la piel", "kosmetyki do pielęgnacji skóry"),
    "330410": _p("lip make-up", "립 메이크업 제품", "唇彩", "maquillaje para labios",
                 "kosmetyki do makijażu ust"),
    # bicycles and sporting goods
    "871200": _p("road and mountain bicycles", "자전거", "自行車", "bicicletas", "rowery"),
    "871491": _p("bicycle frames and forks", "자전거 프레임 및 포크", "自行車車架及前叉",
                 "cuadros y horquillas de bicicleta", "ramy i widelce rowerowe"),
    "871493": _p("bicycle hubs and freewheels", "자전거 허브", "自行車花鼓及飛輪",
                 "mazas y piñones libres para bicicleta", "piasty i wolnobiegi rowerowe"),
    "871499": _p("bicycle components", "자전거 부품", "自行車零件", "componentes para bicicleta", "części rowerowe"),
    "950629": _p("surfboards", "서프보드", "衝浪板", "tablas de surf", "deski surfingowe"),
    # food and agriculture
    "080299": _p("pecans", "피칸", "胡桃", "nuez pecanera", "orzechy pekan"),
    "020130": _p("fresh boneless beef", "냉장 쇠고기", "冷藏去骨牛肉",
                 "carne de res deshuesada fresca", "świeża wołowina bez kości"),
    "020230": _p("frozen boneless beef", "냉동 쇠고기", "冷凍去骨牛肉",
                 "carne de res deshuesada congelada", "mrożona wołowina bez kości"),
    "080810": _p("fresh apples", "사과", "蘋果", "manzanas frescas", "świeże jabłka"),
    "090111": _p("green coffee beans", "커피 생두", "咖啡生豆", "café verde en grano",
                 "zielona kawa", "ያልተቆላ ቡና"),
    "090121": _p("roasted coffee", "원두커피", "烘焙咖啡豆", "café tostado", "kawa palona", "የተቆላ ቡና"),
    "210111": _p("instant coffee and coffee extracts", "커피 추출물", "即溶咖啡",
                 "café soluble", "kawa rozpuszczalna"),
    "120740": _p("sesame seeds", "참깨", "芝麻", "ajonjolí", "sezam", "ሰሊጥ"),
    "060311": _p("fresh cut roses", "장미 절화", "玫瑰切花", "rosas frescas cortadas", "cięte róże", "ጽጌረዳ አበቦች"),
    "060319": _p("fresh cut flowers", "절화", "鮮切花", "flores frescas cortadas", "kwiaty cięte", "የተቆረጡ አበቦች"),
    "040900": _p("natural honey", "천연 꿀", "天然蜂蜜", "miel natural", "miód naturalny", "የተፈጥሮ ማር"),
    "170114": _p("raw cane sugar", "원당", "粗蔗糖", "azúcar crudo de caña", "surowy cukier trzcinowy"),
    "170199": _p("refined sugar", "정제당", "精製糖", "azúcar refinado", "cukier rafinowany"),
    "080430": _p("fresh pineapples", "파인애플", "鳳梨", "piña fresca", "świeże ananasy"),
    "080390": _p("fresh bananas", "바나나", "香蕉", "banano fresco", "świeże banany"),
    "220300": _p("craft beer", "수제 맥주", "精釀啤酒", "cerveza artesanal", "piwo rzemieślnicze"),
    "220830": _p("whiskey", "위스키", "威士忌", "whisky", "whisky"),
    "220421": _p("bottled wine", "와인", "葡萄酒", "vino embotellado", "wino butelkowane"),
    # furniture, wood, jewellery
    "940360": _p("solid wood furniture", "원목 가구", "木製家具", "muebles de madera", "meble drewniane"),
    "940350": _p("wooden bedroom furniture", "원목 침실 가구", "木製臥室家具",
                 "muebles de dormitorio de madera", "meble sypialniane"),
    "940161": _p("upholstered chairs and sofas", "패브릭 소파 및 의자", "布面沙發及椅子",
                 "sillas y sofás tapizados", "meble tapicerowane"),
    "441520": _p("wooden pallets", "목재 팔레트", "木棧板", "tarimas de madera",
                 "palety drewniane", "የእንጨት ፓሌቶች"),
    "442199": _p("wooden household articles", "목제품", "木製品", "artículos de madera", "wyroby z drewna"),
    "711311": _p("amber and silver jewelry", "은 장신구", "銀飾", "joyería de plata y ámbar",
                 "biżuteria srebrna z bursztynem"),
    # leather, textiles, apparel
    "410712": _p("finished bovine leather", "가공 소가죽", "牛皮革", "cuero bovino terminado",
                 "skóra bydlęca wykończona", "ያለቀለት የከብት ቆዳ"),
    "640399": _p("leather footwear", "가죽 신발", "皮鞋", "calzado de cuero", "obuwie skórzane", "የቆዳ ጫማዎች"),
    "520942": _p("cotton denim fabric", "데님 원단", "牛仔布", "tela denim de algodón",
                 "tkanina dżinsowa", "የጥጥ ዴኒም ጨርቅ"),
    "610910": _p("cotton T-shirts", "면 티셔츠", "棉質T恤", "camisetas de algodón",
                 "koszulki bawełniane", "የጥጥ ቲሸርቶች"),
    "611020": _p("cotton knit sweaters", "면 니트 스웨터", "棉質針織衫", "suéteres de algodón", "swetry bawełniane"),
    "620342": _p("men's cotton trousers", "남성용 면바지", "男士棉褲",
                 "pantalones de algodón para caballero", "spodnie męskie z bawełny"),
    # plastics
    "392390": _p("plastic packaging and containers", "플라스틱 포장용기", "塑膠包裝容器",
                 "envases y empaques plásticos", "opakowania z tworzyw sztucznych", "የፕላስቲክ ማሸጊያዎች"),
    "392321": _p("polyethylene bags and sacks", "폴리에틸렌 포장봉투", "PE塑膠袋",
                 "bolsas de polietileno", "worki i torby polietylenowe", "የፕላስቲክ ከረጢቶች"),
}

HS_CODES = frozenset(PRODUCTS)

# --------------------------------------------------------------------------------------
# Sectors: what a firm does, in codes. Texts per language follow below.
# kind: maker (industrial), food (processed food/drink), farm, exporter (collects and
# exports), distributor (imports and resells goods it also offers), buyer (imports,
# offers only a service), service.
# --------------------------------------------------------------------------------------


class _Sector:
    __slots__ = ("key", "kind", "naics", "naics2", "offers", "seeks", "size", "min_year", "cert")

    def __init__(self, key, kind, naics, naics2=(), offers=(), seeks=(), size="mid", min_year=1950, cert=None):
        self.key, self.kind, self.naics, self.naics2 = key, kind, naics, naics2
        self.offers, self.seeks, self.size, self.min_year, self.cert = offers, seeks, size, min_year, cert


_SECTOR_LIST = (
    # Aurora buyers and distributors
    _Sector("auto_distributor", "buyer", ("423120",), ("441330",),
            seeks=("870830", "870899", "870840", "870880", "854430", "870894", "870870", "870850")),
    _Sector("coffee_roaster", "food", ("311920",), ("424490",), offers=("090121", "210111"),
            seeks=("090111",), size="small", min_year=1980),
    _Sector("florist", "buyer", ("424930",), seeks=("060311", "060319"), size="small"),
    _Sector("furniture_importer", "buyer", ("423210",), ("449110",), seeks=("940360", "940350", "940161")),
    _Sector("electronics_distributor", "buyer", ("423690", "423430"),
            seeks=("847130", "851762", "852852", "854231", "853400", "847180", "854232"), min_year=1975),
    _Sector("food_importer", "buyer", ("424490",), ("424480",),
            seeks=("080299", "120740", "040900", "080430", "080390", "170114", "080810", "020130", "020230",
                   "090111", "220421")),
    _Sector("apparel_importer", "buyer", ("424350",), seeks=("610910", "611020", "620342")),
    _Sector("bike_distributor", "buyer", ("423910",), ("459110",),
            seeks=("871200", "871499", "871493", "871491", "950629"), size="small"),
    _Sector("wine_importer", "buyer", ("424820",), seeks=("220421",), size="small"),
    _Sector("beauty_distributor", "buyer", ("424210",), seeks=("330499", "330410"), size="small"),
    _Sector("medical_distributor", "buyer", ("423450",), seeks=("901890", "901839", "300490", "901819")),
    # makers
    _Sector("aerospace", "maker", ("336413",), ("332710",), offers=("880730",),
            seeks=("880730", "854231", "854239"), cert="AS9100"),
    _Sector("medical_devices", "maker", ("339112", "334510"), ("339113",),
            offers=("901890", "901819", "902190", "901839"), seeks=("854239", "901839", "853400", "854231"),
            min_year=1965, cert="ISO 13485"),
    _Sector("beef", "food", ("112111", "311611"), ("311612",), offers=("020130", "020230"),
            seeks=("392390", "441520", "847989"), cert="SQF"),
    _Sector("renewable", "distributor", ("423690", "238210"), ("221114",), offers=("854143", "850440", "841861"),
            seeks=("854143", "850760", "850440"), size="small", min_year=1995),
    _Sector("brewing", "food", ("312120",), offers=("220300",), seeks=("090111", "090121"),
            size="small", min_year=1985),
    _Sector("distillery", "food", ("312140",), offers=("220830",), seeks=("090121", "220421"),
            size="small", min_year=1995),
    _Sector("machinery", "maker", ("333248", "332911", "333517"), offers=("847989", "848180"),
            seeks=("854231", "850440", "854239"), cert="ISO 9001"),
    _Sector("semi_equipment", "maker", ("333242",), offers=("848620",), seeks=("854239", "847989"),
            size="large", min_year=1975, cert="ISO 9001"),
    # Korea / Taiwan / Mexico / Poland industry
    _Sector("brakes", "maker", ("336340",), ("336390",), offers=("870830", "870899"),
            seeks=("854231", "854239", "847989", "848180"), cert="IATF 16949"),
    _Sector("auto_parts", "maker", ("336390", "336350", "336330"), ("336370",),
            offers=("870899", "870840", "870850", "870880", "870894", "870870", "870829"),
            seeks=("854231", "854430", "847989", "848180"), cert="IATF 16949"),
    _Sector("wiring", "maker", ("336320",), ("335929",), offers=("854430",), seeks=("854239", "847989"),
            size="large", min_year=1965, cert="IATF 16949"),
    _Sector("semis", "maker", ("334413",), ("541330",), offers=("854231", "854232", "854239"),
            seeks=("848620", "847989", "850440"), size="large", min_year=1975, cert="ISO 9001"),
    _Sector("electronics", "maker", ("334418", "334111", "334118", "334210"), ("334412",),
            offers=("847130", "847180", "851762", "852852", "853400", "850440"),
            seeks=("854231", "854232", "854239"), min_year=1970, cert="ISO 9001"),
    _Sector("batteries", "maker", ("335910",), offers=("850760", "850710"),
            seeks=("854239", "850440", "847989"), size="large", min_year=1970, cert="ISO 9001"),
    _Sector("cosmetics", "maker", ("325620",), ("424210",), offers=("330499", "330410"),
            seeks=("040900", "392390", "120740"), min_year=1970, cert="CGMP"),
    _Sector("bicycles", "maker", ("336991",), ("423910",), offers=("871200", "871499"),
            seeks=("871493", "850760", "871491"), cert="ISO 9001"),
    _Sector("bike_parts", "maker", ("336991",), offers=("871493", "871491", "871499"),
            seeks=("847989", "848180"), cert="ISO 9001"),
    _Sector("optics", "maker", ("333310",), offers=("900190",), seeks=("847989",), cert="ISO 9001"),
    _Sector("pecans", "farm", ("111335",), ("115114",), offers=("080299",), seeks=("847989", "392321"),
            cert="GlobalG.A.P."),
    _Sector("apples", "farm", ("111331",), ("424480",), offers=("080810",), seeks=("841861", "392390"),
            size="small", cert="GlobalG.A.P."),
    _Sector("furniture", "maker", ("337122", "337121"), ("337110",), offers=("940360", "940350", "940161"),
            seeks=("410712", "520942", "847989"), cert="FSC"),
    _Sector("wine", "food", ("312130",), ("111332",), offers=("220421",), seeks=("847989",),
            size="small", min_year=1990),
    _Sector("wood", "maker", ("321920", "321999"), ("321113",), offers=("441520", "442199"),
            seeks=("847989", "848180"), cert="FSC"),
    _Sector("amber", "maker", ("339910",), offers=("711311",), seeks=(), size="small"),
    # Adama, Central America
    _Sector("coffee_export", "exporter", ("424490", "311920"), ("115114",), offers=("090111", "090121"),
            seeks=("847989", "392321", "854143"), cert="Rainforest Alliance"),
    _Sector("sesame", "exporter", ("424510", "111120"), ("115114",), offers=("120740",),
            seeks=("847989", "392321")),
    _Sector("flowers", "farm", ("111422",), ("424930",), offers=("060311", "060319"),
            seeks=("854143", "392390", "847989"), min_year=1995, cert="GlobalG.A.P."),
    _Sector("leather", "maker", ("316110",), ("316210",), offers=("410712", "640399"),
            seeks=("847989", "848180"), cert="ISO 9001"),
    _Sector("textiles", "maker", ("313210", "315250"), ("313310",), offers=("520942", "610910"),
            seeks=("847989", "850440"), size="large", cert="ISO 9001"),
    _Sector("honey", "exporter", ("112910",), ("311999",), offers=("040900",), seeks=("392390", "847989"),
            size="small"),
    _Sector("garments", "maker", ("315250", "315120"), ("315210",), offers=("610910", "611020", "620342"),
            seeks=("520942", "847989"), size="large", cert="WRAP"),
    _Sector("sugar", "food", ("311314",), ("111930",), offers=("170114", "170199"),
            seeks=("847989", "848180"), size="large", cert="FSSC 22000"),
    _Sector("plastics", "maker", ("326111", "326199"), ("326160",), offers=("392390", "392321"),
            seeks=("847989", "848180"), cert="ISO 9001"),
    _Sector("pineapple", "farm", ("111339",), ("424480",), offers=("080430",), seeks=("392390", "854143"),
            cert="GlobalG.A.P."),
    _Sector("bananas", "farm", ("111339",), ("424480",), offers=("080390",), seeks=("392321", "854143"),
            cert="Rainforest Alliance"),
    _Sector("surfboards", "maker", ("339920",), offers=("950629",), seeks=(), size="small", min_year=1985),
    _Sector("pharma", "maker", ("325412",), ("424210",), offers=("300490",), seeks=("901890", "848180"),
            cert="GMP"),
    # services
    _Sector("software", "service", ("513210", "541511"), ("541512", "518210"), seeks=("847130",),
            size="small", min_year=1985),
    _Sector("bpo", "service", ("561422",), ("561110",), size="large", min_year=1995),
    _Sector("logistics", "service", ("488510", "493110"), ("484121",), min_year=1960),
    _Sector("tourism", "service", ("561520", "561510"), ("721110", "611620"), size="small", min_year=1980),
    _Sector("engineering", "service", ("541330",), ("541380",), size="small", min_year=1960),
)
SECTORS = {s.key: s for s in _SECTOR_LIST}

CITY_SECTORS = {
    "Aurora": (("auto_distributor", 10), ("coffee_roaster", 6), ("florist", 4), ("furniture_importer", 5),
               ("electronics_distributor", 6), ("food_importer", 5), ("apparel_importer", 3),
               ("bike_distributor", 3), ("wine_importer", 2), ("beauty_distributor", 2),
               ("medical_distributor", 3), ("aerospace", 6), ("medical_devices", 6), ("beef", 5),
               ("software", 8), ("logistics", 5), ("renewable", 5), ("brewing", 4), ("distillery", 1),
               ("machinery", 4), ("engineering", 2)),
    "Seongnam": (("brakes", 4), ("auto_parts", 5), ("semis", 5), ("batteries", 4), ("software", 5),
                 ("medical_devices", 4), ("cosmetics", 4), ("food_importer", 3), ("engineering", 1)),
    "New Taipei City": (("semis", 5), ("electronics", 6), ("bicycles", 4), ("bike_parts", 4), ("machinery", 4),
                        ("semi_equipment", 2), ("software", 2), ("food_importer", 2), ("auto_parts", 2),
                        ("optics", 1), ("medical_devices", 1)),
    "Chihuahua": (("auto_parts", 4), ("brakes", 2), ("aerospace", 3), ("wiring", 4), ("pecans", 3), ("beef", 3),
                  ("apples", 2), ("medical_devices", 3), ("logistics", 1)),
    "Zielona Góra": (("furniture", 5), ("wine", 3), ("auto_parts", 3), ("wood", 3), ("amber", 1),
                     ("logistics", 1), ("software", 1)),
    "Adama": (("coffee_export", 5), ("sesame", 4), ("flowers", 3), ("leather", 3), ("textiles", 3),
              ("honey", 2), ("logistics", 1)),
    "Ilopango": (("garments", 5), ("coffee_export", 3), ("sugar", 2), ("plastics", 3), ("logistics", 3)),
    "Jacó": (("tourism", 6), ("pineapple", 3), ("bananas", 2), ("surfboards", 3), ("coffee_export", 2)),
    "Antiguo Cuscatlán": (("software", 5), ("bpo", 4), ("coffee_export", 3), ("pharma", 3), ("garments", 2)),
}

# Sector codes a city's firms can offer differ by city (Aurora does not grow coffee):
# these override a sector's offer list in one city.
_CITY_OFFERS = {
    ("Chihuahua", "auto_parts"): ("870899", "870840", "870850", "870880", "870894"),
    ("Chihuahua", "brakes"): ("870830",),
    ("Chihuahua", "medical_devices"): ("901839", "901890", "902190"),
    ("Chihuahua", "beef"): ("020130", "020230"),
    ("Zielona Góra", "auto_parts"): ("870899", "870829", "870880"),
    ("New Taipei City", "auto_parts"): ("870899", "870830", "870870"),
    ("New Taipei City", "machinery"): ("847989", "848180"),
    ("Antiguo Cuscatlán", "coffee_export"): ("090121", "090111", "210111"),
    ("Antiguo Cuscatlán", "garments"): ("610910", "620342"),
    ("Jacó", "coffee_export"): ("090111", "090121"),
}
_CITY_SEEKS = {
    ("Seongnam", "food_importer"): ("020130", "020230", "080299", "080810", "090111", "040900"),
    ("New Taipei City", "food_importer"): ("020130", "020230", "080299", "080810", "220421", "090111"),
    ("New Taipei City", "auto_parts"): ("854430", "847989"),
    ("Chihuahua", "auto_parts"): ("854231", "847989", "848180"),
    ("Chihuahua", "aerospace"): ("847989", "880730"),
    ("Chihuahua", "beef"): ("392390", "847989"),
    ("Chihuahua", "medical_devices"): ("854239", "847989"),
    ("Zielona Góra", "auto_parts"): ("854430", "854231"),
    ("Antiguo Cuscatlán", "coffee_export"): ("847989", "392390"),
    ("Antiguo Cuscatlán", "garments"): ("520942",),
    ("Jacó", "coffee_export"): ("847989",),
}

# --------------------------------------------------------------------------------------
# Per-sector text: ind = what kind of company it is (noun phrase), svc = offers_text for
# firms that offer a service, partner = text-only wishes (partners rather than goods),
# purpose = suffix for a text-only goods wish.
# --------------------------------------------------------------------------------------

_TEXT = {
    "auto_distributor": {"en": {
        "ind": ["independent auto parts distributor", "wholesale distributor of replacement auto parts"],
        "svc": "wholesale distribution of replacement auto parts to fleets and repair shops",
        "purpose": ["for fleet vehicles", "for repair shops across the Front Range", "for heavy-duty trucks"]}},
    "coffee_roaster": {"en": {
        "ind": ["specialty coffee roaster", "wholesale coffee roaster"],
        "purpose": ["for specialty roasting", "for direct-trade espresso blends"]}},
    "florist": {"en": {
        "ind": ["wholesale florist", "floral import and wholesale company"],
        "svc": "wholesale flowers for florists, grocers and event planners",
        "purpose": ["for Valentine's Day and Mother's Day programs", "for weddings and events"]}},
    "furniture_importer": {"en": {
        "ind": ["furniture importer and wholesaler", "contract furniture supplier"],
        "svc": "furniture sourcing and wholesale for retailers and hospitality projects",
        "purpose": ["for hotel and multifamily projects", "for our retail showrooms"]}},
    "electronics_distributor": {"en": {
        "ind": ["electronic components distributor", "IT hardware distributor"],
        "svc": "electronic components and IT hardware distribution",
        "purpose": ["for industrial IoT customers", "for school district and municipal contracts"]}},
    "food_importer": {
        "en": {"ind": ["specialty food importer", "food importer and wholesaler"],
               "svc": "import and wholesale of specialty foods",
               "purpose": ["for Colorado grocery chains", "for natural-food retailers"]},
        "ko": {"ind": ["식품 수입·유통 전문 기업", "수입 식품 유통 기업"], "svc": "수입 식품 유통 및 도매"},
        "zh-Hant": {"ind": ["食品進口商", "進口食品貿易公司"], "svc": "進口食品批發及通路供應"}},
    "apparel_importer": {"en": {
        "ind": ["apparel wholesaler", "workwear and uniform importer"],
        "svc": "apparel sourcing and wholesale for uniforms and private-label programs",
        "purpose": ["for private-label programs", "for uniform contracts"]}},
    "bike_distributor": {"en": {
        "ind": ["bicycle and outdoor gear distributor", "bicycle parts wholesaler"],
        "svc": "bicycle and outdoor gear distribution to independent shops",
        "purpose": ["for independent bike shops", "for a new e-bike line"]}},
    "wine_importer": {"en": {
        "ind": ["wine importer and distributor", "importer of European wines"],
        "svc": "wine import and distribution to restaurants and retailers",
        "purpose": ["from Central European producers", "for restaurant wine lists"]}},
    "beauty_distributor": {"en": {
        "ind": ["beauty products distributor", "K-beauty importer"],
        "svc": "beauty product distribution to salons and retailers",
        "purpose": ["for salons and beauty retailers"]}},
    "medical_distributor": {"en": {
        "ind": ["medical supply distributor", "clinical supply wholesaler"],
        "svc": "medical supply distribution to clinics and hospitals",
        "purpose": ["for clinics and hospitals", "for ambulatory surgery centers"]}},
    "aerospace": {
        "en": {"ind": ["aerospace components manufacturer", "aerospace precision machining shop"],
               "purpose": ["for satellite and launch-vehicle programs", "for avionics assemblies"]},
        "es": {"ind": ["empresa de manufactura aeroespacial", "planta de maquinados de precisión aeroespacial"],
               "purpose": ["para líneas de ensamble aeroespacial"]}},
    "medical_devices": {
        "en": {"ind": ["medical device manufacturer", "medical technology company"],
               "purpose": ["for next-generation monitoring devices"]},
        "ko": {"ind": ["의료기기 제조기업", "디지털 헬스케어 기업"]},
        "zh-Hant": {"ind": ["醫療器材製造商"]},
        "es": {"ind": ["empresa fabricante de dispositivos médicos", "planta de manufactura de dispositivos médicos"]}},
    "beef": {
        "en": {"ind": ["family-owned beef processor", "cattle ranch and beef producer"],
               "purpose": ["for cold-chain export shipments"]},
        "es": {"ind": ["empresa ganadera", "empacadora de carne de res"],
               "purpose": ["para la planta empacadora"]}},
    "renewable": {"en": {
        "ind": ["solar energy company", "renewable energy contractor and distributor"],
        "svc": "solar installation and battery storage integration",
        "purpose": ["for commercial rooftop projects", "for community solar gardens"]}},
    "brewing": {"en": {"ind": ["craft brewery", "independent craft brewery"],
                       "purpose": ["for barrel-aged coffee stouts"]}},
    "distillery": {"en": {"ind": ["craft distillery", "small-batch distillery"],
                          "purpose": ["for cask finishing and liqueurs"]}},
    "machinery": {
        "en": {"ind": ["industrial machinery manufacturer", "valve and flow-control manufacturer"],
               "purpose": ["for embedded control boards"]},
        "zh-Hant": {"ind": ["機械設備製造商", "精密機械廠"]}},
    "semi_equipment": {"zh-Hant": {"ind": ["半導體設備製造商", "半導體製程設備廠"]}},
    "brakes": {
        "ko": {"ind": ["자동차 제동장치 전문 제조기업", "브레이크 부품 전문 기업"], "purpose": [" (전자식 브레이크 개발용)"]},
        "es": {"ind": ["empresa fabricante de sistemas de frenos"]}},
    "auto_parts": {
        "ko": {"ind": ["자동차 부품 제조기업", "자동차 구동·샤시 부품 전문 기업"]},
        "zh-Hant": {"ind": ["汽車零組件製造商", "汽車售後市場零件廠"]},
        "es": {"ind": ["empresa fabricante de autopartes", "planta de manufactura automotriz"],
               "purpose": ["para líneas de ensamble en Chihuahua"]},
        "pl": {"ind": ["dostawca komponentów motoryzacyjnych", "producent części samochodowych"]}},
    "wiring": {"es": {"ind": ["planta de manufactura de arneses automotrices",
                              "empresa fabricante de arneses eléctricos"]}},
    "semis": {
        "ko": {"ind": ["시스템 반도체 설계 전문 기업", "반도체 전문 기업"]},
        "zh-Hant": {"ind": ["半導體設計公司", "IC設計公司"], "purpose": ["（供新產線使用）"]}},
    "electronics": {"zh-Hant": {"ind": ["電子產品製造商", "工業電腦及網通設備製造商"]}},
    "batteries": {"ko": {"ind": ["이차전지 전문 기업", "배터리 셀·팩 제조기업"]}},
    "cosmetics": {"ko": {"ind": ["화장품 제조·판매 기업", "기초 화장품 브랜드 기업"], "purpose": [" (화장품 원료용)"]}},
    "bicycles": {"zh-Hant": {"ind": ["自行車製造商", "自行車整車製造廠"], "purpose": ["（供電動自行車使用）"]}},
    "bike_parts": {"zh-Hant": {"ind": ["自行車零組件製造商"]}},
    "optics": {"zh-Hant": {"ind": ["光學元件製造商"]}},
    "pecans": {"es": {"ind": ["empresa nogalera", "empresa productora de nuez pecanera"],
                      "purpose": ["para la planta de quebrado y selección"]}},
    "apples": {"es": {"ind": ["empresa frutícola", "huerta manzanera"]}},
    "furniture": {"pl": {"ind": ["producent mebli z litego drewna", "fabryka mebli", "rodzinna firma meblarska"],
                         "purpose": [" do produkcji mebli tapicerowanych"]}},
    "wine": {"pl": {"ind": ["winnica rodzinna", "winnica i wytwórnia win"],
                    "partner": ["importerzy wina w USA i Azji", "dystrybutorzy win w Kolorado"]}},
    "wood": {"pl": {"ind": ["zakład przetwórstwa drewna", "producent palet i wyrobów z drewna"]}},
    "amber": {"pl": {"ind": ["pracownia biżuterii bursztynowej"],
                     "partner": ["galerie i sklepy jubilerskie w USA",
                                 "dystrybutorzy biżuterii w Korei i na Tajwanie"]}},
    "coffee_export": {
        "am": {"ind": ["የቡና አቅራቢና ላኪ ድርጅት", "የቡና ማቀነባበሪያና ላኪ ድርጅት"]},
        "es": {"ind": ["empresa cafetalera", "empresa exportadora de café", "cooperativa cafetalera"],
               "purpose": ["para beneficio húmedo", "para ampliar la capacidad de beneficiado"]}},
    "sesame": {"am": {"ind": ["የሰሊጥና የቅባት እህሎች ላኪ ድርጅት"]}},
    "flowers": {"am": {"ind": ["የአበባ አምራችና ላኪ ድርጅት", "የአበባ እርሻ ልማት ድርጅት"]}},
    "leather": {"am": {"ind": ["የቆዳና የቆዳ ውጤቶች ፋብሪካ", "የቆዳ ፋብሪካ"]}},
    "textiles": {"am": {"ind": ["የጨርቃ ጨርቅና አልባሳት ፋብሪካ"]}},
    "honey": {"am": {"ind": ["የማር ምርትና ማቀነባበሪያ ድርጅት"]}},
    "garments": {"es": {"ind": ["empresa de confección textil", "maquila de confección"],
                        "purpose": ["para producción de jeans", "para nuevas líneas de confección"]}},
    "sugar": {"es": {"ind": ["empresa agroindustrial azucarera"]}},
    "plastics": {"es": {"ind": ["empresa fabricante de empaques plásticos"]}},
    "pineapple": {"es": {"ind": ["empresa productora y exportadora de piña"]}},
    "bananas": {"es": {"ind": ["empresa bananera"]}},
    "surfboards": {"es": {"ind": ["fábrica artesanal de tablas de surf"],
                          "partner": ["proveedores de resina epóxica y espuma de poliuretano",
                                      "tiendas de surf en Estados Unidos"]}},
    "pharma": {"es": {"ind": ["empresa farmacéutica", "compañía farmacéutica"]}},
    "software": {
        "en": {"ind": ["software company", "custom software development firm"],
               "svc": "custom software development, cloud and data services",
               "partner": ["nearshore development partners in Latin America",
                           "resellers and channel partners in Korea and Taiwan",
                           "bilingual QA engineers and support teams"]},
        "ko": {"ind": ["소프트웨어 개발 기업", "클라우드·AI 솔루션 기업"],
               "svc": "맞춤형 소프트웨어 개발 및 클라우드 서비스",
               "partner": ["북미 시장 판매 파트너", "해외 SI 및 리셀러 파트너", "미국 현지 기술지원 협력사"]},
        "zh-Hant": {"ind": ["軟體開發公司", "資訊服務公司"], "svc": "客製化軟體開發及雲端服務",
                    "partner": ["北美通路合作夥伴", "海外系統整合商"]},
        "es": {"ind": ["empresa de desarrollo de software", "firma de tecnología"],
               "svc": "desarrollo de software a la medida y servicios en la nube",
               "partner": ["clientes en Estados Unidos que necesiten desarrollo nearshore",
                           "socios comerciales en Colorado", "inversionistas para expandir operaciones"]},
        "pl": {"ind": ["software house", "firma informatyczna"],
               "svc": "tworzenie oprogramowania na zamówienie i usługi chmurowe",
               "partner": ["partnerzy handlowi w Stanach Zjednoczonych", "klienci z branży produkcyjnej w Niemczech"]}},
    "bpo": {"es": {"ind": ["empresa de servicios BPO y contact center", "empresa de servicios de back office"],
                   "svc": "atención al cliente bilingüe, soporte técnico y back office",
                   "partner": ["clientes estadounidenses que requieran atención al cliente bilingüe",
                               "empresas de tecnología en Colorado que busquen servicios de back office"]}},
    "logistics": {
        "en": {"ind": ["freight forwarding and logistics company", "third-party logistics provider"],
               "svc": "freight forwarding, customs brokerage and warehousing",
               "partner": ["trucking and customs partners in Mexico and Central America",
                           "air cargo agents in Korea and Taiwan"]},
        "es": {"ind": ["empresa de logística y carga internacional", "agencia de carga y aduanas"],
               "svc": "transporte internacional de carga, agenciamiento aduanal y almacenaje",
               "partner": ["socios de carga aérea en Estados Unidos", "agentes aduanales en Colorado y Texas"]},
        "pl": {"ind": ["firma spedycyjno-logistyczna"], "svc": "spedycja międzynarodowa, odprawy celne i magazynowanie",
               "partner": ["przewoźnicy i agencje celne w USA", "partnerzy logistyczni w Korei i na Tajwanie"]},
        "am": {"ind": ["የሎጂስቲክስና የጭነት ማስተላለፍ አገልግሎት ድርጅት"],
               "svc": "የጭነት ማስተላለፍ፣ የጉምሩክ አስተላላፊነትና የመጋዘን አገልግሎት",
               "partner": ["በጅቡቲ ኮሪደር የሚሠሩ የትራንስፖርት ኩባንያዎች", "በአሜሪካ የሚገኙ የጭነት አስተላላፊ አጋሮች"]}},
    "tourism": {"es": {"ind": ["agencia de turismo de aventura", "operadora de tours"],
                       "svc": "tours de surf, pesca deportiva y turismo de aventura",
                       "partner": ["agencias de viajes en Estados Unidos y Corea", "operadores turísticos en Colorado",
                                   "hoteles y escuelas de surf asociados"]}},
    "engineering": {
        "en": {"ind": ["engineering services firm", "product engineering and test lab"],
               "svc": "product engineering, testing and certification support",
               "partner": ["manufacturers in Korea and Taiwan entering the US market", "test-lab partners in Mexico"]},
        "ko": {"ind": ["엔지니어링 서비스 기업"], "svc": "제품 설계, 시험 및 인증 지원 서비스",
               "partner": ["북미 시험인증 협력사"]}},
}

# --------------------------------------------------------------------------------------
# Sentence templates per language. Fields: name, ind, a (en article), year, emp, p
# (products/services), s (what is sought), place (es), district (ko, zh), cert; Korean
# adds name_eun, p_eul, s_eul with the right particle.
# intro: (template, mentions year); extra: (template, goods only, mentions year, needs cert)
# --------------------------------------------------------------------------------------

_TPL = {
    "en": {
        "intro": (("{name} is {a} {ind} based in Aurora, Colorado.", False),
                  ("Founded in {year}, {name} is {a} {ind} headquartered in Aurora, Colorado.", True),
                  ("{name} is {a} {ind} serving customers across the Front Range and beyond from its Aurora facility.",
                   False)),
        "prod": {
            "maker": ("The company designs and manufactures {p}.", "Its main product lines are {p}.",
                      "It produces {p} for customers in North America and abroad."),
            "food": ("It produces {p} for retail, restaurant and export customers.", "Its main products are {p}."),
            "farm": ("It grows and ships {p}.", "Its main products are {p}."),
            "exporter": ("It sources, processes and exports {p}.", "Its main export products are {p}."),
            "distributor": ("It imports and distributes {p} to customers throughout Colorado and the Mountain West.",
                            "Its product range covers {p} sourced from international suppliers."),
            "service": ("It provides {p} to clients in North America and abroad.", "Core services include {p}."),
        },
        "extra": (("The company employs {emp} people.", False, False, False),
                  ("It has been in business since {year}.", False, True, False),
                  ("Its quality system is certified to {cert}.", True, False, True),
                  ("The firm already works with partners in Korea, Taiwan and Mexico.", False, False, False),
                  ("Most of its customers are in Colorado, Texas and California.", False, False, False)),
        "seek_goods": ("The company is currently looking for reliable suppliers of {s}.",
                       "It wants to connect with exporters of {s}."),
        "seek_partner": ("It is currently looking for {s}.",),
        "emp": ("fewer than 10", "10 to 49", "50 to 249", "250 to 999", "more than 1,000"),
    },
    "ko": {
        "intro": (("{name_eun} 경기도 성남시 {district}에 본사를 둔 {ind}입니다.", False),
                  ("{year}년 설립된 {name_eun} 성남시 {district}에 위치한 {ind}입니다.", True)),
        "prod": {
            "maker": ("주력 제품은 {p}이며, 국내외 고객사에 공급하고 있습니다.", "{p_eul} 자체 기술로 개발·생산하고 있습니다.",
                      "{p_eul} 생산하여 북미와 유럽 등지로 수출하고 있습니다."),
            "food": ("{p_eul} 생산하여 국내외에 판매하고 있습니다.", "주요 제품은 {p}입니다."),
            "farm": ("{p_eul} 재배하여 판매하고 있습니다.", "주요 제품은 {p}입니다."),
            "exporter": ("{p_eul} 가공하여 해외로 수출하고 있습니다.", "주요 수출 품목은 {p}입니다."),
            "distributor": ("{p_eul} 수입하여 국내 유통망에 공급하고 있습니다.", "해외에서 조달한 {p_eul} 판매하고 있습니다."),
            "service": ("{p_eul} 제공하고 있습니다.", "주요 사업 분야는 {p}입니다."),
        },
        "extra": (("임직원 규모는 {emp}입니다.", False, False, False),
                  ("{year}년 설립 이후 꾸준히 성장해 왔습니다.", False, True, False),
                  ("{cert} 인증을 보유하고 있습니다.", True, False, True),
                  ("기업부설연구소를 운영하며 연구개발에 꾸준히 투자하고 있습니다.", False, False, False),
                  ("미국, 대만, 멕시코 등 해외 파트너와 협력하고 있습니다.", False, False, False)),
        "seek_goods": ("현재 {s_eul} 안정적으로 공급할 해외 파트너를 찾고 있습니다.", "{s} 분야의 해외 협력사를 찾고 있습니다."),
        "seek_partner": ("현재 {s_eul} 찾고 있습니다.",),
        "emp": ("10명 미만", "10~49명", "50~249명", "250~999명", "1,000명 이상"),
    },
    "zh-Hant": {
        "intro": (("{name}位於新北市{district}，是一家{ind}。", False),
                  ("{name}成立於{year}年，為新北市{district}的{ind}。", True)),
        "prod": {
            "maker": ("主要產品包括{p}。", "專業生產{p}，品質穩定、交期準確。", "產品包括{p}，外銷歐美及東南亞市場。"),
            "food": ("生產{p}，供應國內外市場。", "主要產品為{p}。"),
            "farm": ("種植並銷售{p}。", "主要產品為{p}。"),
            "exporter": ("從事{p}的加工與出口。", "主要出口產品為{p}。"),
            "distributor": ("進口{p}，供應國內零售及餐飲通路。", "代理經銷{p}。"),
            "service": ("提供{p}。", "主要業務為{p}。"),
        },
        "extra": (("公司員工人數{emp}。", False, False, False),
                  ("自{year}年創立以來持續投入研發。", False, True, False),
                  ("已通過{cert}認證。", True, False, True),
                  ("與美國、韓國及墨西哥等地客戶長期合作。", False, False, False)),
        "seek_goods": ("目前正在尋找{s}的穩定供應來源。", "歡迎提供{s}的廠商與我們聯繫。"),
        "seek_partner": ("目前正在尋找{s}。",),
        "emp": ("10人以下", "10至49人", "50至249人", "250至999人", "1,000人以上"),
    },
    "es": {
        "intro": (("{name} es una {ind} ubicada en {place}.", False),
                  ("Fundada en {year}, {name} es una {ind} con sede en {place}.", True)),
        "prod": {
            "maker": ("Fabrica {p} bajo estrictos estándares de calidad.", "Sus principales productos son {p}.",
                      "Produce {p} para el mercado nacional y de exportación."),
            "food": ("Produce {p} para el mercado nacional y de exportación.", "Sus principales productos son {p}."),
            "farm": ("Cultiva y exporta {p}.", "Sus principales productos son {p}."),
            "exporter": ("Acopia, procesa y exporta {p}.", "Sus principales productos de exportación son {p}."),
            "distributor": ("Importa y distribuye {p}.", "Comercializa {p} de proveedores internacionales."),
            "service": ("Ofrece {p} a clientes nacionales e internacionales.", "Sus principales servicios son {p}."),
        },
        "extra": (("Cuenta con {emp} colaboradores.", False, False, False),
                  ("Atiende a clientes en toda la región desde {year}.", False, True, False),
                  ("Posee certificación {cert}.", True, False, True),
                  ("Exporta a Estados Unidos, Centroamérica y Europa.", True, False, False),
                  ("Mantiene relaciones comerciales con socios en Colorado, Corea y Taiwán.", False, False, False)),
        "seek_goods": ("Actualmente busca proveedores confiables de {s}.",
                       "Está interesada en contactar a exportadores de {s}."),
        "seek_partner": ("Actualmente busca {s}.",),
        "emp": ("menos de 10", "entre 10 y 49", "entre 50 y 249", "entre 250 y 999", "más de 1,000"),
    },
    "pl": {
        "intro": (("{name} to {ind} z siedzibą w Zielonej Górze.", False),
                  ("{name} działa od {year} roku jako {ind} w Zielonej Górze.", True)),
        "prod": {
            "maker": ("Główne produkty firmy to: {p}.", "Asortyment firmy: {p}."),
            "food": ("Główne produkty firmy to: {p}.", "Asortyment firmy: {p}."),
            "farm": ("Główne produkty firmy to: {p}.",),
            "exporter": ("Główne produkty eksportowe firmy to: {p}.",),
            "distributor": ("Firma importuje i dystrybuuje produkty z kategorii: {p}.",),
            "service": ("Zakres usług: {p}.", "Główne usługi firmy to: {p}."),
        },
        "extra": (("Firma zatrudnia {emp} pracowników.", False, False, False),
                  ("Działa na rynku od {year} roku.", False, True, False),
                  ("Posiada certyfikat {cert}.", True, False, True),
                  ("Eksportuje swoje wyroby do Niemiec, Czech i Skandynawii.", True, False, False),
                  ("Współpracuje z partnerami w Niemczech i w Stanach Zjednoczonych.", False, False, False)),
        "seek_goods": ("Firma poszukuje zagranicznych dostawców, a poszukiwany asortyment to: {s}.",),
        "seek_partner": ("Poszukiwane kontakty: {s}.",),
        "emp": ("od 1 do 9", "od 10 do 49", "od 50 do 249", "od 250 do 999", "ponad 1000"),
    },
    "am": {
        "intro": (("{name} በአዳማ ከተማ የሚገኝ {ind} ነው።", False),
                  ("በ{year} የተመሠረተው {name} በኦሮሚያ ክልል በአዳማ ከተማ የሚገኝ {ind} ነው።", True),
                  ("{name} ከአዲስ አበባ በ100 ኪሎ ሜትር ርቀት ላይ በምትገኘው አዳማ ከተማ የሚንቀሳቀስ {ind} ነው።", False)),
        "prod": {
            "maker": ("ድርጅቱ {p} ያመርታል።", "ድርጅቱ ጥራቱን የጠበቀ {p} በማምረት ወደ ውጭ ገበያ ይልካል።",
                      "ዋና ዋና ምርቶቻችን {p} ናቸው።"),
            "food": ("ድርጅቱ {p} ያመርታል።", "ዋና ዋና ምርቶቻችን {p} ናቸው።"),
            "farm": ("ድርጅቱ {p} በማልማት ወደ ውጭ ገበያ ይልካል።", "ዋና ዋና ምርቶቻችን {p} ናቸው።"),
            "exporter": ("ድርጅቱ {p} ከአርሶ አደሮች በመሰብሰብ ወደ ውጭ ገበያ ያቀርባል።", "ዋና ዋና የኤክስፖርት ምርቶቻችን {p} ናቸው።"),
            "distributor": ("ድርጅቱ {p} ከውጭ አስመጥቶ ያከፋፍላል።",),
            "service": ("ድርጅቱ {p} ይሰጣል።", "ዋና ዋና አገልግሎቶቻችን {p} ናቸው።"),
        },
        "extra": (("ድርጅቱ {emp} ሠራተኞች አሉት።", False, False, False),
                  ("ድርጅቱ ከ{year} ጀምሮ በሥራ ላይ ይገኛል።", False, True, False),
                  ("ድርጅቱ የ{cert} ሰርተፊኬት አለው።", True, False, True),
                  ("ምርቶቻችንን ወደ አውሮፓ፣ መካከለኛው ምሥራቅ እና ሰሜን አሜሪካ እንልካለን።", True, False, False),
                  ("ጥራቱን የጠበቀ ምርት በተወዳዳሪ ዋጋ እናቀርባለን።", True, False, False),
                  ("ከአሜሪካ፣ ከኮሪያ እና ከአውሮፓ ደንበኞች ጋር የመሥራት ልምድ አለን።", False, False, False)),
        "seek_goods": ("በአሁኑ ጊዜ {s} የሚያቀርቡ አጋሮችን እንፈልጋለን።", "ድርጅቱ {s} ለመግዛት ፍላጎት አለው።"),
        "seek_partner": ("የምንፈልገው አጋር፦ {s}።",),
        "emp": ("ከ1 እስከ 9", "ከ10 እስከ 49", "ከ50 እስከ 249", "ከ250 እስከ 999", "ከ1000 በላይ"),
    },
}
# When a firm names a single product, these plural openings become singular.
_SINGULAR = {
    "en": (("Its main products are", "Its main product is"),
           ("Its main export products are", "Its main export product is")),
    "es": (("Sus principales productos de exportación son", "Su principal producto de exportación es"),
           ("Sus principales productos son", "Su principal producto es")),
    "am": (("ዋና ዋና የኤክስፖርት ምርቶቻችን {p} ናቸው።", "ዋናው የኤክስፖርት ምርታችን {p} ነው።"),
           ("ዋና ዋና ምርቶቻችን {p} ናቸው።", "ዋናው ምርታችን {p} ነው።")),
}


def _reads_plural(phrase, lang):
    """Whether one product phrase is grammatically plural ("pecans", "pastillas y discos")."""
    if lang == "en":
        return " and " in phrase or phrase.endswith("s")
    if lang == "es":
        return phrase.split()[0].endswith("s")
    if lang == "am":
        return phrase.endswith("ች")
    return True


_SENTENCE_SEP = {"en": " ", "ko": " ", "zh-Hant": "", "es": " ", "pl": " ", "am": " "}
_LIST_SEP = {"en": ", ", "ko": ", ", "zh-Hant": "、", "es": ", ", "pl": ", ", "am": "፣ "}

_ES_PLACE = {"Ilopango": "Ilopango, San Salvador", "Jacó": "Jacó, Puntarenas",
             "Chihuahua": "la ciudad de Chihuahua", "Antiguo Cuscatlán": "Antiguo Cuscatlán, La Libertad"}
_KO_DISTRICTS = ("분당구", "분당구 판교", "수정구", "중원구", "중원구 상대원동", "분당구 야탑동")
_ZH_DISTRICTS = ("板橋區", "三重區", "新莊區", "中和區", "永和區", "土城區", "樹林區", "汐止區", "五股區",
                 "泰山區", "林口區", "淡水區", "鶯歌區", "三峽區")

# --------------------------------------------------------------------------------------
# Names: firms and people
# --------------------------------------------------------------------------------------

_EN_PLACES = ("Front Range", "High Plains", "Sand Creek", "Cherry Creek", "Aurora", "Buckley", "Fitzsimons",
              "Colfax", "Centennial", "Rocky Mountain", "Mile High", "Tollgate", "Smoky Hill", "Saddle Rock",
              "Murphy Creek", "Platte River", "Arapahoe", "Piney Creek", "Great Plains", "Red Rocks", "Eastgate",
              "Quincy", "Pikes Peak", "Summit", "Gateway", "Meridian", "Prairie", "Bluestem", "Columbine",
              "Lodgepole", "Continental", "Blackhawk", "Horseshoe", "Aspen Grove", "Bear Creek")
_EN_WORDS = {
    "auto_distributor": ("Brake Supply", "Auto Parts", "Parts Supply", "Fleet Parts", "Auto Supply",
                         "Driveline Supply", "Parts Warehouse"),
    "coffee_roaster": ("Coffee Roasters", "Coffee Co.", "Roasting Company", "Coffee Importers", "Roastworks"),
    "florist": ("Floral Wholesale", "Wholesale Florists", "Flower Market", "Floral Supply"),
    "furniture_importer": ("Furniture Imports", "Home Furnishings", "Furniture Supply", "Interiors Wholesale"),
    "electronics_distributor": ("Electronics Supply", "Components", "Tech Distribution", "IT Supply",
                                "Electronic Components"),
    "food_importer": ("Fine Foods", "Specialty Foods", "Food Imports", "Provisions", "Trading Co."),
    "apparel_importer": ("Apparel", "Garment Supply", "Workwear", "Uniform Supply"),
    "bike_distributor": ("Cycle Supply", "Bicycle Distributors", "Outdoor Supply", "Bike Works"),
    "wine_importer": ("Wine Imports", "Wine Merchants", "Cellars", "Beverage Imports"),
    "beauty_distributor": ("Beauty Supply", "Cosmetics Distribution", "Salon Supply"),
    "medical_distributor": ("Medical Supply", "Healthcare Supply", "Clinical Supply"),
    "aerospace": ("Aerospace", "Aero Components", "Precision Machining", "Aerostructures", "Space Systems"),
    "medical_devices": ("Medical Devices", "MedTech", "Surgical", "Biomedical", "Diagnostics"),
    "beef": ("Beef", "Cattle Co.", "Meats", "Ranch", "Packing Co."),
    "software": ("Software", "Labs", "Analytics", "Digital", "Systems", "Data"),
    "logistics": ("Logistics", "Freight", "Distribution", "Cargo", "Supply Chain"),
    "renewable": ("Solar", "Energy Systems", "Renewables", "Power Solutions", "Clean Energy"),
    "brewing": ("Brewing Company", "Brewery", "Beer Works", "Ales"),
    "distillery": ("Distilling Co.", "Spirits", "Distillery"),
    "machinery": ("Machine Works", "Industrial Equipment", "Valve Company", "Manufacturing", "Automation"),
    "engineering": ("Engineering", "Engineers", "Technical Services", "Test Labs"),
}
_EN_MALE = ("James", "Michael", "Robert", "David", "John", "Daniel", "Matthew", "Anthony", "Carlos", "Luis",
            "Kevin", "Brian", "Jason", "Ryan", "Eric", "Andre", "Marcus", "Dawit", "Samuel", "Thomas", "Steven",
            "Joshua", "Miguel", "Jonathan", "Tyler", "Nathan")
_EN_FEMALE = ("Jennifer", "Sarah", "Jessica", "Emily", "Ashley", "Michelle", "Laura", "Rachel", "Megan", "Amanda",
              "Maria", "Ana", "Grace", "Hannah", "Nicole", "Aisha", "Meron", "Rebecca", "Stephanie", "Lauren",
              "Olivia", "Rosa", "Christina", "Danielle")
_EN_SURNAMES = ("Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Garcia", "Rodriguez",
                "Martinez", "Anderson", "Taylor", "Thomas", "Moore", "Jackson", "Martin", "Lee", "Thompson", "White",
                "Harris", "Clark", "Lewis", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Nguyen", "Kim",
                "Park", "Tesfaye", "Haile", "Gonzalez", "Sanchez", "Baker", "Nelson", "Carter", "Mitchell", "Roberts",
                "Turner", "Phillips", "Campbell", "Parker", "Evans", "Collins", "Stewart", "Murphy", "Cook", "Rogers",
                "Morgan", "Cooper", "Reed", "Bailey", "Bell", "Ward", "Hughes", "Price", "Bennett", "Ortiz")

_KO_PREFIXES = (("한빛", "hanbit"), ("대한", "daehan"), ("세진", "sejin"), ("동양", "dongyang"), ("성남", "seongnam"),
                ("판교", "pangyo"), ("미래", "mirae"), ("신성", "sinsung"), ("한울", "hanul"), ("새한", "saehan"),
                ("우진", "woojin"), ("태양", "taeyang"), ("대성", "daesung"), ("정우", "jungwoo"), ("누리", "nuri"),
                ("다온", "daon"), ("제일", "jeil"), ("동진", "dongjin"), ("영신", "youngshin"), ("금강", "geumgang"),
                ("청솔", "cheongsol"), ("서진", "seojin"), ("혜성", "hyesung"), ("일신", "ilshin"), ("보성", "bosung"),
                ("한길", "hangil"), ("에이스", "ace"), ("비전", "vision"), ("넥스", "nex"), ("유니", "uni"),
                ("하나로", "hanaro"), ("진성", "jinsung"), ("아름", "areum"), ("새롬", "saerom"))
_KO_WORDS = {
    "brakes": (("브레이크", "brake"), ("제동", "jedong"), ("프릭션", "friction"), ("오토브레이크", "autobrake")),
    "auto_parts": (("오토텍", "autotech"), ("모빌리티", "mobility"), ("정밀", "precision"), ("오토파츠", "autoparts"),
                   ("기공", "gigong"), ("모텍", "motech")),
    "semis": (("반도체", "semiconductor"), ("세미콘", "semicon"), ("실리콘", "silicon"), ("칩스", "chips"),
              ("마이크로", "micro")),
    "batteries": (("에너지", "energy"), ("배터리", "battery"), ("파워텍", "powertech"), ("셀텍", "celltech")),
    "software": (("소프트", "soft"), ("랩스", "labs"), ("시스템즈", "systems"), ("데이터", "data"), ("클라우드", "cloud"),
                 ("정보기술", "it")),
    "medical_devices": (("메디칼", "medical"), ("메디텍", "meditech"), ("헬스케어", "healthcare"),
                        ("바이오메드", "biomed")),
    "cosmetics": (("코스메틱", "cosmetic"), ("뷰티", "beauty"), ("화장품", "cosmetics"), ("바이오랩", "biolab")),
    "food_importer": (("푸드", "food"), ("상사", "trading"), ("무역", "trade"), ("인터내셔널", "international")),
    "engineering": (("엔지니어링", "engineering"), ("기술", "tech"), ("테크", "tech")),
}
_KO_SURNAMES = (("김", "kim"),) * 4 + (("이", "lee"),) * 3 + (("박", "park"),) * 2 + (
    ("최", "choi"), ("정", "jung"), ("강", "kang"), ("조", "cho"), ("윤", "yoon"), ("장", "jang"), ("임", "lim"),
    ("한", "han"), ("오", "oh"), ("서", "seo"), ("신", "shin"), ("권", "kwon"), ("황", "hwang"), ("안", "ahn"),
    ("송", "song"), ("류", "ryu"), ("홍", "hong"))
_KO_GIVEN = (("민준", "minjun"), ("서연", "seoyeon"), ("지훈", "jihoon"), ("수빈", "subin"), ("현우", "hyunwoo"),
             ("지은", "jieun"), ("동현", "donghyun"), ("예린", "yerin"), ("성민", "sungmin"), ("하은", "haeun"),
             ("준호", "junho"), ("은지", "eunji"), ("영호", "youngho"), ("미경", "mikyung"), ("상철", "sangcheol"),
             ("혜진", "hyejin"), ("재원", "jaewon"), ("수진", "sujin"), ("태준", "taejun"), ("윤아", "yoona"),
             ("정훈", "junghoon"), ("소영", "soyoung"), ("도윤", "doyoon"), ("민지", "minji"))

_ZH_PREFIXES = (("新北", "xinbei"), ("板橋", "banqiao"), ("三重", "sanchong"), ("新莊", "xinzhuang"),
                ("中和", "zhonghe"), ("土城", "tucheng"), ("汐止", "xizhi"), ("林口", "linkou"), ("樹林", "shulin"),
                ("五股", "wugu"), ("宏昇", "hongsheng"), ("振興", "zhenxing"), ("全昌", "quanchang"),
                ("信達", "xinda"), ("立德", "lide"), ("鼎盛", "dingsheng"), ("富豐", "fufeng"), ("嘉益", "jiayi"),
                ("晶創", "jingchuang"), ("達源", "dayuan"), ("聯昌", "lianchang"), ("金豐", "jinfeng"),
                ("永昇", "yongsheng"), ("協益", "xieyi"), ("東昱", "dongyu"), ("台灣", "taiwan"), ("亞太", "yatai"),
                ("佳世", "jiashi"), ("冠群", "guanqun"), ("百祥", "baixiang"))
_ZH_WORDS = {
    "semis": (("半導體", "semiconductor"), ("微電子", "microelectronics"), ("晶片科技", "chip-tech"),
              ("矽科技", "silicon-tech"), ("積體電路", "ic")),
    "electronics": (("電子", "electronics"), ("精密電子", "precision-electronics"), ("光電", "optoelectronics"),
                    ("電腦", "computer"), ("資訊", "info"), ("網通", "networks")),
    "bicycles": (("自行車", "bicycle"), ("車業", "cycle"), ("單車", "bike"), ("腳踏車", "bicycle")),
    "bike_parts": (("自行車零件", "bike-parts"), ("精密", "precision"), ("車料", "cycle-parts"), ("五金", "hardware")),
    "machinery": (("機械", "machinery"), ("精機", "precision-machinery"), ("閥門", "valve"), ("自動化", "automation")),
    "semi_equipment": (("半導體設備", "semi-equipment"), ("精密機械", "precision-machinery")),
    "software": (("資訊", "info"), ("軟體", "software"), ("數位", "digital"), ("雲端科技", "cloud-tech")),
    "food_importer": (("貿易", "trading"), ("食品", "foods"), ("國際", "international")),
    "auto_parts": (("汽車零件", "auto-parts"), ("汽配", "auto-parts"), ("車材", "auto-materials")),
    "optics": (("光學", "optics"), ("精密光學", "precision-optics")),
    "medical_devices": (("醫療器材", "medical"), ("生醫", "biomedical")),
}
_ZH_SURNAMES = (("陳", "chen"), ("林", "lin"), ("黃", "huang"), ("張", "chang"), ("李", "lee"), ("王", "wang"),
                ("吳", "wu"), ("劉", "liu"), ("蔡", "tsai"), ("楊", "yang"), ("許", "hsu"), ("鄭", "cheng"),
                ("謝", "hsieh"), ("郭", "kuo"), ("洪", "hung"), ("曾", "tseng"), ("邱", "chiu"), ("廖", "liao"),
                ("賴", "lai"), ("周", "chou"))
_ZH_GIVEN = (("雅婷", "yating"), ("志明", "chihming"), ("怡君", "yichun"), ("家豪", "chiahao"), ("淑芬", "shufen"),
             ("建宏", "chienhung"), ("俊傑", "chunchieh"), ("美玲", "meiling"), ("宗翰", "tsunghan"),
             ("佳穎", "chiaying"), ("冠宇", "kuanyu"), ("宜庭", "yiting"), ("承恩", "chengen"), ("詩涵", "shihhan"),
             ("信宏", "hsinhung"), ("欣怡", "hsinyi"), ("文彬", "wenpin"), ("惠如", "huiju"))

_AM_PREFIXES = (("አዳማ", "adama", "Adama"), ("ኦሮሚያ", "oromia", "Oromia"), ("አዋሽ", "awash", "Awash"),
                ("ናዝሬት", "nazret", "Nazret"), ("ሸዋ", "shewa", "Shewa"), ("ዝዋይ", "ziway", "Ziway"),
                ("ሶደሬ", "sodere", "Sodere"), ("ቆቃ", "koka", "Koka"), ("ወንጂ", "wonji", "Wonji"),
                ("ሞጆ", "mojo", "Mojo"), ("አባይ", "abay", "Abay"), ("ገዳ", "gada", "Gada"),
                ("ብርሃን", "birhan", "Birhan"), ("ሰላም", "selam", "Selam"), ("ፀሐይ", "tsehay", "Tsehay"),
                ("አርሲ", "arsi", "Arsi"), ("ቦሰት", "boset", "Boset"), ("ዱከም", "dukem", "Dukem"),
                ("ኢትዮ", "ethio", "Ethio"), ("ስምጥ ሸለቆ", "rift-valley", "Rift Valley"))
_AM_WORDS = {  # Ge'ez (word, roman), Ge'ez suffixes, English words
    "coffee_export": ((("ቡና", "buna"),), (("ላኪ", "laki"), ("አቅራቢ", "aqrabi"), ("ንግድ", "nigd")),
                      ("Coffee Export", "Coffee Trading", "Specialty Coffee", "Coffee Plantation")),
    "sesame": ((("ሰሊጥ", "selit"), ("የቅባት እህሎች", "oilseeds")), (("ላኪ", "laki"), ("አቅራቢ", "aqrabi")),
               ("Sesame Export", "Oilseeds Trading", "Agro Commodities", "Agro Industry")),
    "flowers": ((("አበባ", "abeba"), ("ጽጌረዳ", "tsigereda")), (("እርሻ", "irsha"), ("ልማት", "limat")),
                ("Flowers", "Roses", "Floriculture", "Flower Farm")),
    "leather": ((("ቆዳ", "koda"), ("የቆዳ ውጤቶች", "leather-products")), (("ፋብሪካ", "fabrika"), ("ኢንዱስትሪ", "industry")),
                ("Tannery", "Leather Industry", "Leather Products", "Leather Works")),
    "textiles": ((("ጨርቃ ጨርቅ", "textile"), ("አልባሳት", "garment")), (("ፋብሪካ", "fabrika"), ("ኢንዱስትሪ", "industry")),
                 ("Textile", "Garment", "Textile & Garment", "Cotton Mills")),
    "honey": ((("ማር", "mar"), ("የንብ ውጤቶች", "bee-products")), (("ማቀነባበሪያ", "processing"), ("አቅራቢ", "aqrabi")),
              ("Honey", "Apiculture", "Bee Products", "Honey Processing")),
    "logistics": ((("ትራንዚት", "transit"), ("ሎጂስቲክስ", "logistics")), (("አገልግሎት", "service"), ("ድርጅት", "dirijit")),
                  ("Logistics", "Transit & Forwarding", "Dry Port Services", "Freight Services")),
}
_AM_MALE = (("አበበ", "Abebe"), ("ከበደ", "Kebede"), ("ታደሰ", "Tadesse"), ("ሙሉጌታ", "Mulugeta"), ("ዮሐንስ", "Yohannes"),
            ("ብርሃኑ", "Birhanu"), ("ግርማ", "Girma"), ("ተስፋዬ", "Tesfaye"), ("ደረጄ", "Dereje"), ("ሰለሞን", "Solomon"),
            ("ገመቹ", "Gemechu"), ("ጫላ", "Chala"), ("ቶሎሳ", "Tolosa"), ("በቀለ", "Bekele"), ("ዳዊት", "Dawit"),
            ("ኃይሉ", "Hailu"), ("ለማ", "Lemma"), ("ፈይሳ", "Feyisa"), ("አለማየሁ", "Alemayehu"), ("ዳንኤል", "Daniel"))
_AM_FEMALE = (("መሠረት", "Meseret"), ("ሂሩት", "Hirut"), ("ትዕግሥት", "Tigist"), ("ሰላማዊት", "Selamawit"),
              ("አልማዝ", "Almaz"), ("ፀሐይ", "Tsehay"), ("ማርታ", "Marta"), ("ሄለን", "Helen"), ("ለንሳ", "Lensa"),
              ("ብርቱካን", "Birtukan"), ("ሜሮን", "Meron"), ("ቤተልሔም", "Betelhem"), ("ፋጡማ", "Fatuma"), ("ጫልቱ", "Chaltu"))

_ES_PLACES = {
    "Chihuahua": ("del Norte", "Sierra Madre", "Cuauhtémoc", "Delicias", "Conchos", "Chuvíscar", "Camargo",
                  "Parral", "Santa Rita", "del Desierto", "Aldama", "Jiménez", "Sacramento", "Cumbres", "Majalca",
                  "Bustillos", "Ojinaga"),
    "Ilopango": ("Ilopango", "del Lago", "Cuscatlán", "Lempa", "Izalco", "Los Volcanes", "San Bartolo", "Apulo",
                 "Pipil", "Santa Lucía", "de Oriente", "Altavista", "Centroamericana", "Soyapango"),
    "Jacó": ("Jacó", "Herradura", "Garabito", "Hermosa", "del Pacífico", "Carara", "Tárcoles", "Manglar",
             "Esterillos", "Tortuga", "Arenas", "Costa Verde", "Quebrada Seca", "Punta Leona"),
    "Antiguo Cuscatlán": ("Cuscatlán", "La Libertad", "El Boquerón", "Merliot", "Santa Elena", "Apaneca",
                          "Izalco", "del Pacífico", "Los Planes", "Ilamatepec", "Quetzaltepec", "Maya"),
}
_ES_PATTERNS = {
    "coffee_export": ("Café {P}", "Beneficio {P}", "Cafetalera {P}", "Finca {P}", "Exportadora de Café {P}",
                      "Café de Altura {P}"),
    "garments": ("Confecciones {P}", "Industrias Textiles {P}", "Confecciones {S}", "Manufacturas {P}"),
    "sugar": ("Ingenio {P}", "Azucarera {P}"),
    "plastics": ("Plásticos {P}", "Empaques {P}", "Polímeros {P}", "Plásticos {S}"),
    "logistics": ("Logística {P}", "Transportes {S}", "Grupo Logístico {P}", "Carga {P} Express"),
    "tourism": ("Aventuras {P}", "Tours {P}", "Expediciones {P}", "Surf Camp {P}", "Turismo {P}"),
    "pineapple": ("Piñas {P}", "Agrícola {P}", "Frutas Tropicales {P}", "Agroexportadora {P}"),
    "bananas": ("Bananera {P}", "Agroexportadora {P}", "Finca Bananera {P}"),
    "surfboards": ("Tablas {P}", "{P} Surfboards", "Shapers {P}", "Taller de Surf {P}"),
    "auto_parts": ("Autopartes {P}", "Componentes Automotrices {P}", "Manufacturas {P}", "Industrias {S}"),
    "brakes": ("Frenos {P}", "Sistemas de Frenado {P}", "Frenos {S}"),
    "aerospace": ("Aeroestructuras {P}", "Maquinados Aeroespaciales {P}", "Precisión Aeroespacial {P}"),
    "wiring": ("Arneses {P}", "Arneses y Cableados {P}", "Cableados {S}"),
    "pecans": ("Nogaleras {P}", "Nuez {P}", "Agrícola {S}", "Huertas {P}"),
    "beef": ("Ganadera {P}", "Rancho {P}", "Carnes {P}", "Empacadora {P}"),
    "apples": ("Huertas {P}", "Frutícola {P}", "Manzanas {P}"),
    "medical_devices": ("Dispositivos Médicos {P}", "Instrumental Médico {P}", "Medical {P}"),
    "software": ("{P} Software", "Soluciones Digitales {P}", "Tecnologías {P}", "{P} Tech", "Desarrollos {S}"),
    "bpo": ("Contact Center {P}", "{P} BPO", "Servicios Empresariales {P}"),
    "pharma": ("Laboratorios {S}", "Laboratorios {P}", "Farmacéutica {P}"),
}
_ES_SURNAMES = ("Hernández", "García", "Martínez", "López", "González", "Rodríguez", "Pérez", "Ramírez", "Flores",
                "Rivera", "Castillo", "Morales", "Ortiz", "Mejía", "Aguilar", "Vásquez", "Chávez", "Torres", "Mendoza",
                "Salazar", "Vargas", "Jiménez", "Rojas", "Solís", "Quesada", "Villalobos", "Arias", "Mora", "Portillo",
                "Escobar", "Alvarado", "Domínguez", "Terrazas", "Loya", "Baeza", "Córdova", "Zamora", "Navarro")
_ES_MALE = ("José", "Juan Carlos", "Luis", "Carlos", "Jorge", "Francisco", "Alejandro", "Ricardo", "Mario", "Óscar",
            "Roberto", "Fernando", "Miguel Ángel", "Andrés", "Diego", "Rafael", "Héctor", "Manuel", "Javier", "Ernesto")
_ES_FEMALE = ("María José", "Ana", "Gabriela", "Claudia", "Patricia", "Sofía", "Daniela", "Fernanda", "Karla",
              "Lucía", "Mariana", "Verónica", "Alejandra", "Rosa", "Carmen", "Adriana", "Valeria", "Silvia", "Ximena")

_PL_PLACES = ("Odra", "Bachus", "Kisielin", "Przylep", "Zatonie", "Ochla", "Drzonków", "Jędrzychów", "Łężyca",
              "Racula", "Krępa", "Chynów", "Sulechów", "Świdnica", "Lubusz", "Zawada", "Nietków")
_PL_ADJ = (("Lubuski", "Lubuska", "Lubuskie"), ("Zielonogórski", "Zielonogórska", "Zielonogórskie"),
           ("Odrzański", "Odrzańska", "Odrzańskie"), ("Nadodrzański", "Nadodrzańska", "Nadodrzańskie"),
           ("Zachodni", "Zachodnia", "Zachodnie"))
_PL_VINEYARDS = ("Złote Wzgórze", "Słoneczne Wzgórze", "Pod Dębem", "Pod Lipami", "Na Skarpie", "Dobre Źródło",
                 "Trzy Dęby", "Dwa Stawy", "Winne Wzgórza", "Stare Sady")
_PL_PATTERNS = {
    "furniture": ("{An} Meble", "Meble {P}", "Fabryka Mebli {P}", "{Af} Fabryka Mebli", "Zakład Stolarski {S}",
                  "Meble {S}", "Stolarnia {P}"),
    "wine": ("Winnica {P}", "Winnica {V}", "{Af} Winnica"),
    "auto_parts": ("{P} Automotive", "Auto-Części {P}", "{An} Zakłady Metalowe", "{Am} Zakład Motoryzacyjny"),
    "wood": ("Tartak {P}", "Drewno {P}", "{An} Zakłady Drzewne", "Palety {S}", "Przedsiębiorstwo Drzewne {P}"),
    "amber": ("Bursztyn {P}", "{Af} Pracownia Bursztynu", "Pracownia Bursztynu {S}", "Jantar {P}"),
    "logistics": ("Spedycja {S}", "Trans-{P}", "{P} Logistics", "{An} Centrum Logistyczne"),
    "software": ("{P} Software", "{S} IT", "{An} Studio IT"),
}
_PL_SURNAMES = (("Kowalski", "Kowalska"), ("Nowak", "Nowak"), ("Wiśniewski", "Wiśniewska"), ("Wójcik", "Wójcik"),
                ("Kamiński", "Kamińska"), ("Lewandowski", "Lewandowska"), ("Zieliński", "Zielińska"),
                ("Szymański", "Szymańska"), ("Woźniak", "Woźniak"), ("Dąbrowski", "Dąbrowska"),
                ("Kozłowski", "Kozłowska"), ("Jankowski", "Jankowska"), ("Mazur", "Mazur"), ("Krawczyk", "Krawczyk"),
                ("Piotrowski", "Piotrowska"), ("Grabowski", "Grabowska"), ("Pawlak", "Pawlak"),
                ("Michalski", "Michalska"), ("Król", "Król"), ("Wieczorek", "Wieczorek"), ("Jabłoński", "Jabłońska"),
                ("Wróbel", "Wróbel"), ("Majewski", "Majewska"), ("Olszewski", "Olszewska"), ("Stępień", "Stępień"),
                ("Malinowski", "Malinowska"), ("Górski", "Górska"), ("Rutkowski", "Rutkowska"), ("Sikora", "Sikora"),
                ("Baran", "Baran"))
_PL_MALE = ("Piotr", "Krzysztof", "Andrzej", "Tomasz", "Paweł", "Michał", "Marcin", "Łukasz", "Jakub", "Grzegorz",
            "Marek", "Wojciech", "Adam", "Mateusz", "Kamil", "Dariusz")
_PL_FEMALE = ("Anna", "Katarzyna", "Małgorzata", "Agnieszka", "Barbara", "Ewa", "Magdalena", "Joanna", "Aleksandra",
              "Monika", "Natalia", "Karolina", "Zofia", "Beata", "Dorota", "Justyna")

# --------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------

_ASCII_FOLD = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss", "æ": "ae", "Æ": "AE", "đ": "d"})


def _ascii(text):
    text = unicodedata.normalize("NFKD", text.translate(_ASCII_FOLD))
    return "".join(ch for ch in text if ord(ch) < 128)


@functools.lru_cache(maxsize=4096)
def _slug(text):
    out, dash = [], False
    for ch in _ascii(text).lower():
        if ch.isalnum():
            out.append(ch)
            dash = False
        elif not dash and out:
            out.append("-")
            dash = True
    return "".join(out).strip("-")[:48].strip("-") or "firm"


@functools.lru_cache(maxsize=4096)
def _local_part(text):
    return "".join(ch for ch in _ascii(text).lower() if ch.isalnum()) or "info"


def _has_batchim(text):
    """Whether the text, read aloud in Korean, ends in a final consonant (for 은/는, 을/를)."""
    for ch in reversed(text):
        code = ord(ch)
        if 0xAC00 <= code <= 0xD7A3:
            return (code - 0xAC00) % 28 != 0
        if ch.isdigit():
            return ch in "013678"
        if ch.isascii() and ch.isalpha():
            return ch.upper() in "LMNR"
    return False


def _join(items, lang):
    """A natural-language list: 'a, b and c' in the language's own way."""
    items = list(items)
    if len(items) == 1:
        return items[0]
    if lang == "zh-Hant":
        return "、".join(items)
    if lang == "ko":
        return ", ".join(items)
    if lang == "am":
        return "፣ ".join(items[:-1]) + " እና " + items[-1]
    if lang == "es":
        last = items[-1]
        conj = "e" if last[:1].lower() == "i" or (last[:2].lower() == "hi" and last[:3].lower() != "hie") else "y"
        return ", ".join(items[:-1]) + f" {conj} " + last
    if lang == "pl":  # Polish lists follow a colon; product phrases often contain "i" already
        return ", ".join(items)
    if len(items) == 2:
        return f"{items[0]} and {items[1]}"
    return ", ".join(items[:-1]) + ", and " + items[-1]


def _weighted(rng, pairs):
    total = sum(w for _, w in pairs)
    pick = rng.random() * total
    for value, weight in pairs:
        pick -= weight
        if pick < 0:
            return value
    return pairs[-1][0]


def _pick_k(rng, pool, low, high, weights=None):
    """Between low and high distinct items of pool (fewer if pool is short)."""
    high = min(high, len(pool))
    if high <= 0:
        return []
    low = min(low, high)
    k = rng.choices(range(low, high + 1), weights=(weights or [1] * 4)[: high - low + 1])[0]
    return rng.sample(pool, k)


# --------------------------------------------------------------------------------------
# Firm names. Each returns (display name, ascii base for the web slug, script hint).
# --------------------------------------------------------------------------------------


def _name_en(rng, sector):
    word = rng.choice(_EN_WORDS[sector])
    r = rng.random()
    if r < 0.22:
        base = f"{rng.choice(_EN_SURNAMES)} {word}"
    elif r < 0.27:
        first, second = rng.sample(_EN_SURNAMES, 2)
        base = f"{first} & {second} {word}"
    else:
        base = f"{rng.choice(_EN_PLACES)} {word}"
    if word.endswith(("Co.", "Company")):
        suffix = rng.choice(("", "", " LLC"))
    else:
        suffix = _weighted(rng, ((" LLC", 50), (" Inc.", 25), (" Co.", 8), (" Corp.", 5), ("", 12)))
    return base + suffix, base, None


def _name_ko(rng, sector):
    prefix, prefix_r = rng.choice(_KO_PREFIXES)
    word, word_r = rng.choice(_KO_WORDS[sector])
    core = prefix + word
    style = rng.random()
    if style < 0.35:
        name = core + "(주)"
    elif style < 0.60:
        name = "주식회사 " + core
    elif style < 0.70:
        name = "㈜" + core
    else:
        name = core
    return name, f"{prefix_r}-{word_r}", None


def _name_zh(rng, sector):
    prefix, prefix_r = rng.choice(_ZH_PREFIXES)
    word, word_r = rng.choice(_ZH_WORDS[sector])
    if SECTORS[sector].kind in ("service", "buyer") or "工業" in word:
        suffix = _weighted(rng, (("股份有限公司", 5), ("有限公司", 4)))
    else:
        suffix = _weighted(rng, (("股份有限公司", 5), ("有限公司", 3), ("企業股份有限公司", 1), ("工業股份有限公司", 1)))
    return prefix + word + suffix, f"{prefix_r}-{word_r}", None


def _name_am(rng, sector):
    prefix, prefix_r, prefix_en = rng.choice(_AM_PREFIXES)
    words, suffixes, en_words = _AM_WORDS[sector]
    if rng.random() < 0.5:
        word, word_r = rng.choice(words)
        suffix, suffix_r = rng.choice(suffixes)
        name = f"{prefix} {word} {suffix}"
        if rng.random() < 0.35:
            name += " ኃ/የተ/የግ/ማ"  # PLC
        return name, f"{prefix_r}-{word_r}-{suffix_r}", "ethi"
    base = f"{prefix_en} {rng.choice(en_words)}"
    suffix = _weighted(rng, ((" PLC", 75), (" Share Company", 10), ("", 15)))
    return base + suffix, base, "latn"


def _name_es(rng, sector, city):
    pattern = rng.choice(_ES_PATTERNS[sector])
    base = pattern.format(P=rng.choice(_ES_PLACES[city]), S=rng.choice(_ES_SURNAMES))
    if city == "Jacó":
        suffix = _weighted(rng, ((" S.A.", 60), (" S.R.L.", 25), ("", 15)))
    elif city == "Chihuahua":
        suffix = _weighted(rng, ((" S.A. de C.V.", 60), (" S. de R.L. de C.V.", 20), ("", 20)))
    else:
        suffix = _weighted(rng, ((" S.A. de C.V.", 75), ("", 25)))
    return base + suffix, base, None


def _name_pl(rng, sector):
    adj = rng.choice(_PL_ADJ)
    base = rng.choice(_PL_PATTERNS[sector]).format(
        P=rng.choice(_PL_PLACES), S=rng.choice(_PL_SURNAMES)[0], V=rng.choice(_PL_VINEYARDS),
        Am=adj[0], Af=adj[1], An=adj[2],
    )
    suffix = _weighted(rng, ((" Sp. z o.o.", 55), (" S.A.", 8), (" Sp.j.", 12), (" s.c.", 10), ("", 15)))
    return base + suffix, base, None


# --------------------------------------------------------------------------------------
# People: (display name, ascii first name, ascii last name)
# --------------------------------------------------------------------------------------


def _person(rng, lang, script):
    female = rng.random() < 0.45
    if lang == "en":
        first = rng.choice(_EN_FEMALE if female else _EN_MALE)
        last = rng.choice(_EN_SURNAMES)
        return f"{first} {last}", first, last
    if lang == "ko":
        (sur, sur_r), (given, given_r) = rng.choice(_KO_SURNAMES), rng.choice(_KO_GIVEN)
        return sur + given, given_r, sur_r
    if lang == "zh-Hant":
        (sur, sur_r), (given, given_r) = rng.choice(_ZH_SURNAMES), rng.choice(_ZH_GIVEN)
        return sur + given, given_r, sur_r
    if lang == "am":
        given = rng.choice(_AM_FEMALE if female else _AM_MALE)
        father = rng.choice(_AM_MALE)
        while father == given:
            father = rng.choice(_AM_MALE)
        if script == "latn":
            return f"{given[1]} {father[1]}", given[1], father[1]
        return f"{given[0]} {father[0]}", given[1], father[1]
    if lang == "es":
        first = rng.choice(_ES_FEMALE if female else _ES_MALE)
        surname1, surname2 = rng.sample(_ES_SURNAMES, 2)
        full = f"{first} {surname1} {surname2}" if rng.random() < 0.7 else f"{first} {surname1}"
        return full, first.split()[0], surname1
    # pl
    first = rng.choice(_PL_FEMALE if female else _PL_MALE)
    last = rng.choice(_PL_SURNAMES)[1 if female else 0]
    return f"{first} {last}", first, last


def _phone(rng, city):
    def digits(n):
        return f"{rng.randrange(10 ** n):0{n}d}"

    if city == "Aurora":  # 555-0100..0199: the range reserved for fiction
        return f"+1{rng.choice(('303', '720'))}55501{digits(2)}"
    if city == "Seongnam":
        return f"+82317{rng.randint(0, 9)}{digits(6)}"
    if city == "Adama":
        return f"+25122{rng.choice(('111', '112', '119'))}{digits(4)}"
    if city in ("Ilopango", "Antiguo Cuscatlán"):
        return f"+50322{digits(6)}"
    if city == "Jacó":
        return f"+5062643{digits(4)}"
    if city == "Zielona Góra":
        return f"+4868{rng.choice('34')}{digits(6)}"
    if city == "Chihuahua":
        return f"+52614{rng.choice('1234')}{digits(6)}"
    return f"+8862{rng.choice('289')}{digits(7)}"  # New Taipei City


_EXTRA_LANGUAGES = {  # (tag, probability) besides the city's own language
    "Aurora": (("es", 0.2), ("ko", 0.05), ("am", 0.05)),
    "Seongnam": (("en", 0.8), ("zh", 0.1), ("ja", 0.1)),
    "New Taipei City": (("en", 0.85), ("ja", 0.2)),
    "Chihuahua": (("en", 0.8),),
    "Zielona Góra": (("en", 0.8), ("de", 0.4)),
    "Adama": (("om", 0.6), ("en", 0.75)),
}


def _languages(rng, city, lang, sector):
    spoken = [lang]
    extra = _EXTRA_LANGUAGES.get(city) or (("en", 0.95 if sector == "tourism" else 0.7),)
    for tag, p in extra:
        if rng.random() < p:
            spoken.append(tag)
    return spoken


# --------------------------------------------------------------------------------------
# Descriptions
# --------------------------------------------------------------------------------------


def _describe(rng, lang, city, sector, name, year, emp_index, kind, p_text, p_count, s_text, s_is_partner, ind):
    tpl = _TPL[lang]
    fields = {
        "name": name, "ind": ind, "year": year, "emp": tpl["emp"][emp_index], "p": p_text, "s": s_text,
        "cert": sector.cert or "",
    }
    if lang == "en":
        fields["a"] = "an" if ind[:1].lower() in "aeio" else "a"
    elif lang == "es":
        fields["place"] = _ES_PLACE[city]
    elif lang == "ko":
        fields["district"] = rng.choice(_KO_DISTRICTS)
        fields["name_eun"] = name + ("은" if _has_batchim(name) else "는")
        fields["p_eul"] = p_text + ("을" if _has_batchim(p_text) else "를")
        fields["s_eul"] = s_text + ("을" if _has_batchim(s_text) else "를")
    elif lang == "zh-Hant":
        fields["district"] = rng.choice(_ZH_DISTRICTS)

    intro, intro_has_year = rng.choice(tpl["intro"])
    product_kind = "distributor" if kind == "buyer" else kind
    product = rng.choice(tpl["prod"][product_kind])
    if p_count == 1 and not _reads_plural(p_text, lang):
        for plural, singular in _SINGULAR.get(lang, ()):
            product = product.replace(plural, singular)
    sentences = [intro.format(**fields), product.format(**fields)]

    goods = kind not in ("service", "buyer")
    extras = [t for t, goods_only, has_year, needs_cert in tpl["extra"]
              if (goods or not goods_only) and not (has_year and intro_has_year) and (sector.cert or not needs_cert)]
    rng.shuffle(extras)
    target = rng.choice((2, 3, 3, 4, 4))
    seek = None
    if s_text and (kind != "buyer" or s_is_partner) and rng.random() < 0.8:
        seek = rng.choice(tpl["seek_partner" if s_is_partner else "seek_goods"]).format(**fields)
        target = max(target, 3)
    while len(sentences) + (1 if seek else 0) < target and extras:
        sentences.append(extras.pop().format(**fields))
    if seek:
        sentences.append(seek)
    # A sentence ending in an abbreviation ("GlobalG.A.P.") keeps one full stop.
    return _SENTENCE_SEP[lang].join(t[:-1] if t.endswith("..") else t for t in sentences)


# --------------------------------------------------------------------------------------
# The generator
# --------------------------------------------------------------------------------------


def _city_counts(count):
    """Exact per-city counts by largest remainder, with a floor of 8 when count >= 100."""
    shares = [(name, count * weight / 100) for name, _, _, weight in CITIES]
    counts = {name: int(share) for name, share in shares}
    leftover = count - sum(counts.values())
    by_remainder = sorted(range(len(shares)), key=lambda i: (-(shares[i][1] % 1), i))
    for i in by_remainder[:leftover]:
        counts[shares[i][0]] += 1
    if count >= 100:
        for name in counts:
            while counts[name] < _MIN_PER_CITY:
                donor = max(counts, key=counts.get)
                counts[donor] -= 1
                counts[name] += 1
    return counts


_CITY_INFO = {name: (country, lang) for name, country, lang, _ in CITIES}
_NAMERS = {
    "en": lambda rng, sector, city: _name_en(rng, sector),
    "ko": lambda rng, sector, city: _name_ko(rng, sector),
    "zh-Hant": lambda rng, sector, city: _name_zh(rng, sector),
    "am": lambda rng, sector, city: _name_am(rng, sector),
    "es": _name_es,
    "pl": lambda rng, sector, city: _name_pl(rng, sector),
}


def _text(sector_key, lang, field, default=()):
    return _TEXT.get(sector_key, {}).get(lang, {}).get(field, default)


def _record(rng, index, city, used_names, used_slugs):
    country, lang = _CITY_INFO[city]
    sector = SECTORS[_weighted(rng, CITY_SECTORS[city])]
    kind = sector.kind

    # Name: retry a few times to keep names mostly unique.
    for _ in range(4):
        name, roman, script = _NAMERS[lang](rng, sector.key, city)
        if name not in used_names:
            break
    used_names.add(name)
    base_slug = _slug(roman)
    slug = base_slug if base_slug not in used_slugs else f"{base_slug}-{index + 1}"
    used_slugs.add(slug)

    year_low = max(1950, sector.min_year)
    year = min(2024, max(year_low, int(rng.triangular(year_low, 2025, 2010))))
    emp_index = rng.choices(range(5), weights=_SIZE_WEIGHTS[sector.size])[0]
    if kind == "service" and emp_index == 4 and sector.key != "bpo":
        emp_index = 3

    naics = [rng.choice(sector.naics)]
    others = [c for c in sector.naics + sector.naics2 if c != naics[0]]
    if others and rng.random() < 0.35:
        naics.append(rng.choice(others))

    # What it sells
    offer_pool = _CITY_OFFERS.get((city, sector.key), sector.offers)
    offers = _pick_k(rng, list(offer_pool), 1, 3, (5, 4, 1)) if offer_pool else []
    core = offer_pool[0] if offer_pool else None  # a roaster roasts; most firms lead with their core line
    if core and core not in offers and (sector.key == "coffee_roaster" or rng.random() < 0.6):
        offers[0] = core
    offers = [c for c in offers if lang in PRODUCTS[c]]
    if offers:
        p_items = [PRODUCTS[c][lang] for c in offers]
        offers_text = _LIST_SEP[lang].join(p_items)
        p_sentence, p_count = _join(p_items, lang), len(p_items)
    else:
        offers_text = p_sentence = _text(sector.key, lang, "svc", "")
        p_count = 2  # a service phrase reads as plural

    # What it wants
    # Partner-city firms do not seek what they make; Aurora firms may (they make some
    # aircraft parts or catheters and buy more from Chihuahua or Seongnam).
    seek_pool = [c for c in _CITY_SEEKS.get((city, sector.key), sector.seeks)
                 if lang in PRODUCTS[c] and (city == "Aurora" or c not in offers)]
    partner = _text(sector.key, lang, "partner")
    seeks, s_items, seeks_text, s_sentence, s_is_partner = [], [], "", "", False
    if kind == "service" or (partner and (not seek_pool or rng.random() < 0.5)):
        if kind == "service" and seek_pool and rng.random() < 0.12:
            seeks = _pick_k(rng, seek_pool, 1, 1)
            seeks_text = s_sentence = PRODUCTS[seeks[0]][lang]
        elif partner and rng.random() < 0.6:
            seeks_text = s_sentence = rng.choice(partner)
            s_is_partner = True
    elif seek_pool and (kind == "buyer" or rng.random() < 0.9):
        seeks = _pick_k(rng, seek_pool, 1, 3, (4, 4, 2))
        s_items = [PRODUCTS[c][lang] for c in seeks]
        seeks_text = _LIST_SEP[lang].join(s_items)
        s_sentence = _join(s_items, lang)
        if rng.random() < 0.08:  # said in words only: text matching has to find it
            seeks = []
            purposes = _text(sector.key, lang, "purpose")
            if purposes:
                purpose = rng.choice(purposes)
                sep = "" if purpose[:1] in (" ", "（") else " "
                seeks_text += sep + purpose
    if kind == "buyer":
        p_count = max(1, len(s_items)) if s_sentence else 2
        p_sentence = s_sentence or _join([PRODUCTS[c][lang] for c in seek_pool[:2]], lang)

    # Roles
    if kind == "maker" or kind == "food":
        roles = ["manufacturer"] + (["exporter"] if rng.random() < (0.75 if city != "Aurora" else 0.45) else [])
    elif kind in ("farm", "exporter"):
        roles = ["exporter"] + (["distributor"] if rng.random() < 0.25 else [])
    elif kind == "distributor":
        roles = ["distributor", "importer"]
    elif kind == "buyer":
        roles = ["importer", "distributor"] if rng.random() < 0.8 else ["importer"]
    else:
        roles = ["service_provider"]
    if seeks and "importer" not in roles and rng.random() < 0.35:
        roles.append("importer")
    extra_role = rng.random()
    if extra_role < 0.08 and kind in ("buyer", "distributor"):
        roles.append("investor")
    elif extra_role < 0.18 and kind in ("service", "maker", "farm"):
        roles.append("seeking_investment")
    elif extra_role < 0.26 and kind in ("maker", "food", "service"):
        roles.append("joint_venture")
    roles = roles[:3]

    ind = rng.choice(_text(sector.key, lang, "ind"))
    description = _describe(rng, lang, city, sector, name, year, emp_index, kind, p_sentence, p_count,
                            s_sentence, s_is_partner, ind)

    contact, first, last = _person(rng, lang, script)
    return {
        "external_id": f"demo-{index + 1:04d}",
        "name": name,
        "city": city,
        "country": country,
        "description": description,
        "description_language": lang,
        "website": f"https://{slug}.example",
        "founded_year": year,
        "employees": EMPLOYEE_BUCKETS[emp_index],
        "naics": naics,
        "offers_hs": offers,
        "offers_text": offers_text,
        "seeks_hs": seeks,
        "seeks_text": seeks_text,
        "trade_roles": roles,
        "languages": _languages(rng, city, lang, sector.key) + (["en"] if script == "latn" and lang != "en" else []),
        "contact_name": contact,
        "contact_email": f"{_local_part(first)}.{_local_part(last)}@{slug}.example",
        "contact_phone": _phone(rng, city),
        "status": "published",
    }


def generate(count: int = 360, seed: int = 2026) -> list[dict]:
    """Return `count` business records in the import format, deterministic for a given seed."""
    if count < 0:
        raise ValueError("count must be zero or more")
    rng = random.Random(seed)
    cities = [name for name, n in _city_counts(count).items() for _ in range(n)]
    rng.shuffle(cities)
    used_names, used_slugs = set(), set()
    records = []
    for index, city in enumerate(cities):
        record = _record(rng, index, city, used_names, used_slugs)
        record["languages"] = list(dict.fromkeys(record["languages"]))
        records.append(record)
    return records


def main(argv=None):
    parser = argparse.ArgumentParser(description="Write a demo business network as JSON Lines to stdout.")
    parser.add_argument("--count", type=int, default=360, help="number of firms (default 360)")
    parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
    args = parser.parse_args(argv)
    out = open(sys.stdout.fileno(), "w", encoding="utf-8", closefd=False, newline="\n")
    with out:
        for record in generate(count=args.count, seed=args.seed):
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
