"""Labelled queries for words-to-codes, in the network's six languages.

Each query is (text, language, expected HS headings, kind):

- text: what a person types, as they would type it;
- language: the language it is written in (en, ko, zh-Hant, es, pl, am);
- expected headings: the four-digit HS 2022 headings the words name (beef is
  fresh 0201 or frozen 0202; everything else names one heading);
- kind: "everyday" (the common word), "trade name" (the word of the trade:
  a variety, a standard, an abbreviation), "plural", "typo" (a slip of the
  keyboard or of the input method: a homophone character in Chinese), or
  "variant spelling" (a spelling in common use that is not the standard
  one, as often in Amharic and Korean loanwords).

English queries name goods that partner-city firms offer in their own
languages; they measure cross-language search (recall@50 over partner-city
firms). Every query measures suggestions (an HS suggestion under an
expected heading among the first five).

The halves: within each language and kind, the queries in the order written
here alternate, the first to "tuning", the second to "held-out", the third to
"tuning", and so on. Tune on the tuning half; the test asserts on the
held-out half. The labels were written from the meaning of the words, before
any engine was asked.
"""

from collections import defaultdict

LANGUAGES = ("en", "ko", "zh-Hant", "es", "pl", "am")
BEEF = ("0201", "0202")

QUERIES = [
    # ---- English -------------------------------------------------------------------
    ("coffee beans", "en", ("0901",), "everyday"),
    ("brake pads", "en", ("8708",), "everyday"),
    ("LED bulbs", "en", ("8539",), "everyday"),
    ("wooden furniture", "en", ("9403",), "everyday"),
    ("leather boots", "en", ("6403",), "everyday"),
    ("cane sugar", "en", ("1701",), "everyday"),
    ("frozen shrimp", "en", ("0306",), "everyday"),
    ("fresh cut roses", "en", ("0603",), "everyday"),
    ("bicycles", "en", ("8712",), "plural"),
    ("sesame seeds", "en", ("1207",), "plural"),
    ("dried chiles", "en", ("0904",), "plural"),
    ("laptops", "en", ("8471",), "plural"),
    ("pecans", "en", ("0802",), "plural"),
    ("cardboard boxes", "en", ("4819",), "plural"),
    ("cocoa beans", "en", ("1801",), "plural"),
    ("T-shirts", "en", ("6109",), "plural"),
    ("Hass avocados", "en", ("0804",), "trade name"),
    ("PV modules", "en", ("8541",), "trade name"),
    ("Li-ion cells", "en", ("8507",), "trade name"),
    ("wire harnesses", "en", ("8544",), "trade name"),
    ("microcontrollers", "en", ("8542",), "trade name"),
    ("euro pallets", "en", ("4415",), "trade name"),
    ("CNC lathes", "en", ("8458",), "trade name"),
    ("gear reducers", "en", ("8483",), "trade name"),
    ("cofee", "en", ("0901",), "typo"),
    ("brake pdas", "en", ("8708",), "typo"),
    ("bicyles", "en", ("8712",), "typo"),
    ("solar panles", "en", ("8541",), "typo"),
    ("sesme seeds", "en", ("1207",), "typo"),
    ("furnature", "en", ("9403",), "typo"),
    ("avacados", "en", ("0804",), "typo"),
    ("labtops", "en", ("8471",), "typo"),
    # ---- Korean --------------------------------------------------------------------
    ("커피 생두", "ko", ("0901",), "everyday"),
    ("브레이크 패드", "ko", ("8708",), "everyday"),
    ("참깨", "ko", ("1207",), "everyday"),
    ("소고기", "ko", BEEF, "everyday"),
    ("노트북", "ko", ("8471",), "everyday"),
    ("원목 가구", "ko", ("9403",), "everyday"),
    ("꿀", "ko", ("0409",), "everyday"),
    ("자전거", "ko", ("8712",), "everyday"),
    ("마스크팩", "ko", ("3304",), "trade name"),
    ("태양광 모듈", "ko", ("8541",), "trade name"),
    ("이차전지", "ko", ("8507",), "trade name"),
    ("와이어 하네스", "ko", ("8544",), "trade name"),
    ("감속기", "ko", ("8483",), "trade name"),
    ("하스 아보카도", "ko", ("0804",), "trade name"),
    ("장난감들", "ko", ("9503",), "plural"),
    ("펌프들", "ko", ("8413",), "plural"),
    ("브레이크 페드", "ko", ("8708",), "typo"),
    ("자건거", "ko", ("8712",), "typo"),
    ("아보가도", "ko", ("0804",), "variant spelling"),
    ("티샤쓰", "ko", ("6109",), "variant spelling"),
    # ---- Traditional Chinese (Taiwan) ------------------------------------------------
    ("咖啡豆", "zh-Hant", ("0901",), "everyday"),
    ("腳踏車", "zh-Hant", ("8712",), "everyday"),
    ("筆電", "zh-Hant", ("8471",), "everyday"),
    ("牛肉", "zh-Hant", BEEF, "everyday"),
    ("螺絲", "zh-Hant", ("7318",), "everyday"),
    ("太陽能板", "zh-Hant", ("8541",), "everyday"),
    ("蜂蜜", "zh-Hant", ("0409",), "everyday"),
    ("皮鞋", "zh-Hant", ("6403",), "everyday"),
    ("鋰電池", "zh-Hant", ("8507",), "trade name"),
    ("PCB板", "zh-Hant", ("8534",), "trade name"),
    ("線束", "zh-Hant", ("8544",), "trade name"),
    ("減速機", "zh-Hant", ("8483",), "trade name"),
    ("CNC車床", "zh-Hant", ("8458",), "trade name"),
    ("MCU晶片", "zh-Hant", ("8542",), "trade name"),
    ("哈斯酪梨", "zh-Hant", ("0804",), "trade name"),
    ("光電板", "zh-Hant", ("8541",), "trade name"),
    ("自形車", "zh-Hant", ("8712",), "typo"),
    ("太陽能版", "zh-Hant", ("8541",), "typo"),
    ("酪犁", "zh-Hant", ("0804",), "typo"),
    ("筆店", "zh-Hant", ("8471",), "typo"),
    # ---- Spanish ---------------------------------------------------------------------
    ("café verde", "es", ("0901",), "everyday"),
    ("carne de res", "es", BEEF, "everyday"),
    ("muebles de madera", "es", ("9403",), "everyday"),
    ("bombas de agua", "es", ("8413",), "everyday"),
    ("azúcar de caña", "es", ("1701",), "everyday"),
    ("camarón congelado", "es", ("0306",), "everyday"),
    ("balatas", "es", ("8708",), "trade name"),
    ("aguacate Hass", "es", ("0804",), "trade name"),
    ("arneses automotrices", "es", ("8544",), "trade name"),
    ("módulos fotovoltaicos", "es", ("8541",), "trade name"),
    ("chile guajillo", "es", ("0904",), "trade name"),
    ("café oro", "es", ("0901",), "trade name"),
    ("aguacates", "es", ("0804",), "plural"),
    ("chiles secos", "es", ("0904",), "plural"),
    ("bicicletas", "es", ("8712",), "plural"),
    ("llantas", "es", ("4011",), "plural"),
    ("bisicletas", "es", ("8712",), "typo"),
    ("aguacte", "es", ("0804",), "typo"),
    ("pastiyas de freno", "es", ("8708",), "typo"),
    ("tarimas de madrea", "es", ("4415",), "typo"),
    # ---- Polish ----------------------------------------------------------------------
    ("meble drewniane", "pl", ("9403",), "everyday"),
    ("miód", "pl", ("0409",), "everyday"),
    ("wino czerwone", "pl", ("2204",), "everyday"),
    ("klocki hamulcowe", "pl", ("8708",), "everyday"),
    ("zielona kawa", "pl", ("0901",), "everyday"),
    ("suszone chili", "pl", ("0904",), "everyday"),
    ("palety", "pl", ("4415",), "plural"),
    ("rowery", "pl", ("8712",), "plural"),
    ("jabłka", "pl", ("0808",), "plural"),
    ("opony", "pl", ("4011",), "plural"),
    ("laptopy", "pl", ("8471",), "plural"),
    ("krewetki", "pl", ("0306",), "plural"),
    ("fotowoltaika", "pl", ("8541",), "trade name"),
    ("europalety", "pl", ("4415",), "trade name"),
    ("przekładnie zębate", "pl", ("8483",), "trade name"),
    ("awokado Hass", "pl", ("0804",), "trade name"),
    ("klocki hamulocwe", "pl", ("8708",), "typo"),
    ("meble drewiane", "pl", ("9403",), "typo"),
    ("rowey", "pl", ("8712",), "typo"),
    ("panele fotowoltaicze", "pl", ("8541",), "typo"),
    # ---- Amharic ---------------------------------------------------------------------
    ("ቡና", "am", ("0901",), "everyday"),
    ("ሰሊጥ", "am", ("1207",), "everyday"),
    ("ማር", "am", ("0409",), "everyday"),
    ("የቆዳ ጫማ", "am", ("6403",), "everyday"),
    ("የበሬ ሥጋ", "am", BEEF, "everyday"),
    ("የውሃ ፓምፕ", "am", ("8413",), "everyday"),
    ("አቮካዶ", "am", ("0804",), "everyday"),
    ("ብስክሌት", "am", ("8712",), "everyday"),
    ("የይርጋጨፌ ቡና", "am", ("0901",), "trade name"),
    ("ሶላር ፓነል", "am", ("8541",), "trade name"),
    ("የሁመራ ሰሊጥ", "am", ("1207",), "trade name"),
    ("ላፕቶፕ", "am", ("8471",), "trade name"),
    ("ጽጌረዳዎች", "am", ("0603",), "plural"),
    ("ብስክሌቶች", "am", ("8712",), "plural"),
    ("የቆዳ ጫማዎች", "am", ("6403",), "plural"),
    ("የመኪና ጎማዎች", "am", ("4011",), "plural"),
    ("የበሬ ስጋ", "am", BEEF, "variant spelling"),
    ("የጸሐይ ፓነል", "am", ("8541",), "variant spelling"),
    ("አቦካዶ", "am", ("0804",), "variant spelling"),
    ("ቢስክሌት", "am", ("8712",), "variant spelling"),
]

HALVES = ("tuning", "held-out")


def halves(queries=QUERIES):
    """{"tuning": [...], "held-out": [...]}: alternate within each language and kind."""
    seen = defaultdict(int)
    split = {half: [] for half in HALVES}
    for query in queries:
        _, language, _, kind = query
        split[HALVES[seen[(language, kind)] % 2]].append(query)
        seen[(language, kind)] += 1
    return split
