"""The vocabulary of dates, days, clock times and zones in ru, uk, be, kk and en posts, and the
South Slavic languages (Serbian, Croatian, Bosnian, Montenegrin in Latin and Cyrillic; Macedonian).

Tables only (with the few compiled patterns built from them), each entry with the wording it
is there for; `parsers.times` reads them. Matched on normalised text (casefolded, ё → е).
"""

from __future__ import annotations

import re

# Zones posts name. The IANA name keeps daylight saving right ("CET" written in April is
# Central European wall time, +02:00). "по мск", "МСК", "Moscow time", "по Екб", "за Києвом",
# "па Мінску", "по Астане", "Алматы уақыты", "ET", "PT", "CEST", "UK time", "GMT+1" (an offset,
# handled apart), "(UTC+3)".
ZONES: tuple[tuple[str, str], ...] = (
    ((r"по\s?мск|\bмск\b|\bmsk\b|moscow\s+time|по\s+москве|московск\w+|за\s+москвою|мск\+0|по\s+москов\w+|"
      r"за\s+московським|по\s+питеру|по\s+спб|мәскәү\s+вакыт\w*|казан\s+вакыт\w*"), "Europe/Moscow"),
    (r"калининград\w*|калінінград\w*|kaliningrad", "Europe/Kaliningrad"),
    ((r"по\s?екб|\bекб\b|екатеринб\w*|ебург\w*|по\s+екату\b|yekaterinburg|уральск\w+\s+времен\w*|по\s+челябинску|по\s+перми|"
      r"по\s+уфе|по\s+тюмени|\bекат\b|пермск\w+|уфимск\w+|челябинск\w+|тюменск\w+|курган\w*|оренбург\w*|"
      r"по\s+оренбургу|уф[аы]\s+вакыт\w*|өфө\s+вакыт\w*"), "Asia/Yekaterinburg"),
    ((r"kyiv\s+time|kiev\s+time|по\s+киеву|киевск\w+|за\s+києвом|київськ\w+|по\s+києву|за\s+київським|kyiv\b|"
      r"kiev\b"), "Europe/Kyiv"),
    ((r"по\s?нск|\bнск\b|новосиб\w*|novosibirsk|краснояр\w*|томск\w*|кемерово|по\s+кемерову|барнаул\w*|"
      r"новокузнецк\w*|алтайск\w+\s+времен\w*"), "Asia/Novosibirsk"),
    (r"омск\w*(?<!томск)(?<!томска)(?<!томску)|\bomsk\b", "Asia/Omsk"),
    (r"иркутск\w*|irkutsk|улан-удэ|по\s+улан", "Asia/Irkutsk"),
    (r"якутск\w*|yakutsk|по\s+чите|\bчита\b|благовещенск\w*|blagoveshchensk", "Asia/Yakutsk"),
    # "по Владу", "ВЛД", "по Хабару": the Far East's own short names.
    ((r"по\s+владивостоку|владивосток\w*|\bвлад\b|по\s+владу\b|\bвлд\b|по\s+владику\b|vladivostok|хабаровск\w*|"
      r"по\s+хабару\b|по\s+хабу\b|khabarovsk|приморск\w+\s+времен\w*"), "Asia/Vladivostok"),
    (r"сахалин\w*|sakhalin", "Asia/Sakhalin"),
    (r"магадан\w*", "Asia/Magadan"),
    (r"камчат\w*|петропавловск\w*", "Asia/Kamchatka"),
    (r"по\s+алматы|алматы|almaty|астан\w+|astana|по\s+казахстану|уақыты|нур-султан\w*|караганд\w*|шымкент\w*",
     "Asia/Almaty"),
    (r"по\s+минску|минск\w*|minsk|па\s+мінску|мінск\w*|беларус\w+\s+времен\w*", "Europe/Minsk"),
    (r"по\s+самаре|самарск\w+|самар[аеуы]\b|samara|по\s+ижевску|ульяновск\w*", "Europe/Samara"),
    (r"ташкент\w*|tashkent|по\s+узбекистану", "Asia/Tashkent"),
    (r"по\s+бишкеку|бишкек\w*|bishkek", "Asia/Bishkek"),
    (r"дуба[йею]\w*|dubai|\bgst\b|по\s+оаэ", "Asia/Dubai"),
    (r"тбилиси|tbilisi|баку|baku|ереван\w*|yerevan", "Asia/Tbilisi"),
    (r"варшав\w*|warsaw|за\s+варшавою|за\s+варшавським", "Europe/Warsaw"),
    (r"\bcet\b|\bcest\b|berlin\s+time|berlin|paris\s+time|central\s+european", "Europe/Berlin"),
    (r"bucharest|бухарест\w*|\beet\b|\beest\b", "Europe/Bucharest"),
    # "IST", "WAT", "EAT" are also words ("eat", German "ist"): a zone only right after a time.
    # "po beogradskom vremenu", "по Београду", "skopsko vreme", "po Sarajevu": the ex-Yugoslav
    # capitals keep Central European time, as Belgrade does.
    ((r"belgrade|белград\w*|београд\w*|beograd\w*|serbia\w*\s+time|сербск\w+\s+времен\w*|sarajev\w*|сарајев\w*|"
      r"skopj\w*|skopsk\w*|скопј\w*|скопск\w*|podgoric\w*|подгориц\w*|zagreb\w*|загреб\w*|banj\w+\s+luk\w*|"
      r"бањ\w+\s+лук\w*|ljubljan\w*"), "Europe/Belgrade"),
    (r"istanbul|стамбул\w*|\btrt\b|turkey\s+time|турецк\w+\s+времен\w*", "Europe/Istanbul"),
    (r"\d(?:\s*[ap]\.?m\.?)?\s*\(?ist\b|india\s+time|indian\s+time|delhi|mumbai|kolkata|делийск\w+|индийск\w+\s+времен\w*", "Asia/Kolkata"),
    (r"\bpkt\b|karachi|lahore|pakistan\s+time", "Asia/Karachi"),
    (r"\d(?:\s*[ap]\.?m\.?)?\s*\(?wat\b|lagos|nigeria\w*\s+time|west\s+africa\w*\s+time", "Africa/Lagos"),
    (r"\d(?:\s*[ap]\.?m\.?)?\s*\(?eat\b|nairobi|kenya\w*\s+time|east\s+africa\w*\s+time", "Africa/Nairobi"),
    (r"\bsast\b|johannesburg|south\s+africa\w*\s+time", "Africa/Johannesburg"),
    (r"\bbst\b|uk\s+time|london\s+time|\blondon\b|british\s+time", "Europe/London"),
    (r"\bet\b|\best\b|\bedt\b|new\s+york\s+time|eastern\s+time|\bny\s+time", "America/New_York"),
    (r"\bct\b|\bcst\b|\bcdt\b|central\s+time|chicago", "America/Chicago"),
    (r"\bpt\b|\bpst\b|\bpdt\b|pacific\s+time|los\s+angeles|\bla\s+time", "America/Los_Angeles"),
    (r"\baest\b|\baedt\b|sydney|melbourne", "Australia/Sydney"),
    # Latin America's abbreviations: Brasília, Argentina, Colombia, Peru, Chile, Venezuela, Mexico.
    (r"\bbrt\b|brasilia\s+time|bras[ií]lia|s[ãa]o\s+paulo", "America/Sao_Paulo"),
    (r"\d(?:\s*[ap]\.?m\.?)?\s*\(?art\b|argentina\s+time|buenos\s+aires", "America/Argentina/Buenos_Aires"),
    (r"\bcot\b|colombia\w*\s+time|bogot[aá]", "America/Bogota"),
    (r"\d(?:\s*[ap]\.?m\.?)?\s*\(?pet\b|peru\w*\s+time|\blima\s+time", "America/Lima"),
    (r"\bvet\b|venezuela\w*\s+time|caracas", "America/Caracas"),
    (r"\butc\b(?!\s*[+\-−–]\d)|\bgmt\b(?!\s*[+\-−–]\d)|\bzulu\b", "UTC"),
)
ZONE_PATTERNS = [(re.compile(pattern), name) for pattern, name in ZONES]
# Cities whose name alone does not set the zone (a task may be about a city and still be timed in
# Moscow), but does when the post says "по местному": "САРАТОВ | ... с 10 до 19 (время местное)".
LOCAL_CITIES: tuple[tuple[str, str], ...] = (
    (r"саратов\w*|saratov", "Europe/Saratov"),
    (r"волгоград\w*|volgograd", "Europe/Volgograd"),
    (r"астрахан\w*|astrakhan", "Europe/Astrakhan"),
    (r"ульяновск\w*|ulyanovsk", "Europe/Ulyanovsk"),
    ((r"казан[ьиюе]\w*|казанск\w*|kazan|нижн\w+\s+новгород\w*|нижнем\b|нижний\b|воронеж\w*|ростов\w*|краснодар\w*|сочи\b|"
     r"петербург\w*|москв\w+|ярославл\w*|твер[ьи]\w*|тул[аеуы]\b|пенз\w+"), "Europe/Moscow"),
)
LOCAL_CITY_PATTERNS = [(re.compile(pattern), name) for pattern, name in LOCAL_CITIES]
# "по Казани", "по казанскому времени", "саратовское время": a zone phrase names the zone even
# for such a city (Moscow's own included), before another city the post mentions in passing.
ZONE_PATTERNS += [(re.compile(r"\bпо\s+(?:" + pattern + r")|(?:" + pattern + r")\s+врем[яе]\w*"), name)
                  for pattern, name in LOCAL_CITIES]
# "МСК+2", "мск-1": hours from Moscow (UTC+3), as Russian regions say their time.
MSK_OFFSET = re.compile(r"(?:\bмск|\bmsk)\s*(?P<sign>[+\-−–])\s*(?P<hours>\d{1,2})(?![\d:.])")
# "UTC+4", "GMT-5", "UTC−3" (a Unicode minus or a dash, as typed on phones and in Word).
UTC_OFFSET = re.compile(r"\b(?:utc|gmt)\s*(?P<sign>[+\-−–])\s*(?P<hours>\d{1,2})(?::?(?P<minutes>\d{2}))?")

# Day words relative to the post. "сегодня", "сёння" (be), "сьогодні", "бүгін" (kk), "today",
# "danas"/"данас", "večeras" (sr/hr), "денес" (mk); "sutra"/"сутра" (sr/hr), "утре" (mk).
RELATIVE_DAYS: tuple[tuple[str, int], ...] = (
    (r"послезавтра|післязавтра|паслязаўтра|day\s+after\s+tomorrow|prekosutra|прекосутра|задутре", 2),
    # "сейчас" alone is too often not about posting ("на последнем кадре — вся семья сейчас").
    ((r"сегодня|сегодн\w*|сьогодні|сёння|бүгін|today|tonight|этим\s+вечером|прямо\s+сейчас|прям\s+щас|"
     r"\bdanas\b|\bданас\b|ve[čc]eras\b|вечерас\b|\bденес\b|вечерва\b"), 0),
    # Not "завтрак" (breakfast: "с 8 до 11 утра (завтрак!)").
    (r"завтра(?!к)|заўтра|ертең|tomorrow|\bsutra\b|\bсутра\b|\bутре\b", 1),
)
# Weekdays, Monday first, in the forms and cases posts use. "в пятницу", "в пт", "у пʼятницю",
# "у пятніцу", "on Friday", "Fri", "жұма".
WEEKDAYS: tuple[str, ...] = (
    r"понедельник\w*|\bпн\b|monday|\bmon\b|понеділ\w*|панядзел\w*|дүйсенбі|\bponedje?lj\w*|понедељ\w*|понеделник\w*",
    r"вторник\w*|\bвт\b|tuesday|\btue\b|\btues\b|вівтор\w*|аўтор\w*|сейсенбі|\butor(?:ak|ka|ku)\b|уторак|уторк\w*",
    # "ср. просм. от 3к", "ср. охват": the average, not Wednesday.
    (r"сред[ауые]\b|\bср\b(?!\.?\s*(?:просм|охват|знач|показ|вовлеч|аудит|чек|стоим|возраст|кол|er\b))|wednesday|\bwed\b|серед[ауи]\b|серад\w*|сәрсенбі"
    r"|\bsrijed[aue]\b|\bsred[aeu]\b"),
    r"четверг\w*|\bчт\b|thursday|\bthu\b|\bthurs\b|четвер\w*|чацвер\w*|бейсенбі|[čc]etvrt(?:ak|ka|ku)\b|четврт(?:ак|ка|ку)\b|четврток\w*",
    r"пятниц\w*|\bпт\b|friday|\bfri\b|п.?ятниц\w*|пятніц\w*|жұма|\bpet(?:ak|ka|ku)\b|\bпет(?:ак|ка|ку)\b|\bпеток\w*",
    r"суббот\w*|\bсб\b|saturday|\bsat\b|субот\w*|субот\w*|сенбі|\bsubot\w*|\bсабота\w*",
    # "nedelja"/"недеља" alone is also "a week": only the forms after "u"/"в" ("u nedelju").
    r"воскресень\w*|\bвс\b|sunday|\bsun\b|неділ\w*|нядзел\w*|жексенбі|\bnedje?lj[ui]\b|\bнедељ[уи]\b",
)
WEEKDAY_PATTERNS = [re.compile(p) for p in WEEKDAYS]
WEEKDAY = "|".join(f"(?:{p})" for p in WEEKDAYS)
# The weekend and weekdays: "в выходные", "на выходных", "weekend", "у вихідні"; "в будни".
WEEKEND = r"выходны\w+|weekend|вихідн\w+|выхадн\w+|демалыс"
WORKDAYS = r"будни\w*|будн\w+\s+дн\w+|weekdays|робочі\s+дні|будні"
# Month names in all cases: "28 февраля", "1 березня", "2 ліпеня", "5 шілде", "March 1", "Feb 28".
# Serbian/Bosnian/Montenegrin ("3. decembra", "6. децембар"), Croatian ("prosinca"), Macedonian
# ("9 декември") too; their Latin forms that English already covers ("januar", "decembra") are not repeated.
MONTHS: tuple[str, ...] = (
    r"январ\w*|січн\w*|студзен\w*|студзеня|қаңтар\w*|jan\w*|јануар\w*|sije[čc]nj?\w*",
    r"феврал\w*|лют\w*|лютага|ақпан\w*|feb\w*|фебруар\w*|февруари|velja[čc]\w*",
    r"март\w*|березн\w*|сакавік\w*|наурыз\w*|mar(?:ch)?\b|mart[au]?\b|o[žz]uj(?:ak|ka)\b",
    r"апрел\w*|квітн\w*|красавік\w*|сәуір\w*|apr\w*|април\w*|travanj\w*|travnja",
    r"ма[йя]\b|мая|травн\w*|мая\b|мамыр\w*|may\b|maj[au]?\b|мај[ау]?\b|svib(?:anj|nja)\b",
    r"июн\w*|червн\w*|чэрвен\w*|чэрвеня|маусым\w*|jun\w*|јун\w*|lipanj\w*|lipnja",
    r"июл\w*|липн\w*|ліпен\w*|ліпеня|шілде\w*|jul\w*|јул\w*|srpanj\w*|srpnja",
    r"август\w*|серпн\w*|жнів\w*|тамыз\w*|aug\w*|avgust\w*|kolovoz\w*|kolovoza",
    r"сентябр\w*|вересн\w*|верас\w*|қыркүйек\w*|sep\w*|септемб\w*|rujan\w*|rujna",
    r"октябр\w*|жовтн\w*|кастрычнік\w*|қазан\w*|oct\w*|oktob\w*|октоб\w*|октомври",
    r"ноябр\w*|листопад\w*|лістапад\w*|қараша\w*|nov\w*|новемб\w*|ноември|studen(?:i|og|oga)\b",
    r"декабр\w*|грудн\w*|снеж\w*|желтоқсан\w*|dec\w*|децемб\w*|декември|prosin(?:ac|ca)\b",
)
MONTH_PATTERNS = [re.compile(f"(?:{p})$") for p in MONTHS]
MONTH = "|".join(f"(?:{p})" for p in MONTHS)
# Parts of the day, used when no clock time is given. "вечером", "утром", "in the evening".
PARTS_OF_DAY: tuple[tuple[str, int, int, int, int], ...] = (
    (r"утром|с\s+утра|\bутро\b|morning|вранці|зранку|раніцай", 6, 0, 12, 0),
    (r"дн[её]м\b|afternoon|вдень|удень|днём", 12, 0, 18, 0),
    (r"вечером|\bвечер\b|evening|tonight|ввечері|увечері|\bвечір|увечары|вечарам|этим\s+вечером", 18, 0, 23, 59),
    (r"ночью|\bночь\b|at\s+night|вночі|ноччу", 0, 0, 6, 0),
)
# Clock-hour markers after a number: "6pm", "в 6 вечера" (18:00), "в 9 утра", "в 2 дня" (14:00).
AMPM = r"am|pm|a\.m\.|p\.m\.|утра|вечера|дня|ночи|ранку|вечора|раніцы|вечара"
PM_WORDS = ("p", "вечер", "дня", "вечор", "вечар")

# South Slavic time words, read as the Russian ones `parsers.times` knows: "od 18 do 21h" →
# "с 18 до 21:00", "u 20h" → "в 20:00", "во 19 часот" → "в 19:00", "u četvrtak" → "в četvrtak",
# "3. decembra" → "3 decembra" (the ordinal dot). Only in posts written in these languages
# (`SOUTH_SLAVIC`): in English "do 3 takes" is not "until 3".
SOUTH_SLAVIC = re.compile(r"[čćđšžјћђљњџќѓѕ]|\bvremen[ua]\b|\bчасот\b|\bsati\b")
SOUTH_SLAVIC_TIME_WORDS: tuple[tuple[str, str], ...] = (
    ((r"(?P<pre>\b(?:od|do|u|oko|до|од|во|у|в|с)\s+|[-–]\s*)(?P<h>[01]?\d|2[0-4])\s*"
     r"(?:h|č|časova|časa|sati|sata|часова|часот)(?![\w:])"), r"\g<pre>\g<h>:00"),
    # "od 18 do 21", "od 15:00 do 19:00"; not "od 30k pratilaca" (a follower minimum).
    (r"\b(?:od|од)\s+(?=\d{1,2}(?::\d\d)?\s*(?:do|до|[-–])\s*\d)", "с "),
    (r"\bdo\s+(?=\d)", "до "),
    (r"\b(?:u|во)\s+(?=\d|" + WEEKDAY + ")", "в "),
    (r"\b(?:posle|poslije)\s+(?=\d)", "после "),
    (r"(?<![\d.])(?P<d>[0-3]?\d)\.\s+(?=(?:" + MONTH + r")\b)", r"\g<d> "),
)
SOUTH_SLAVIC_PATTERNS = [(re.compile(pattern), replacement) for pattern, replacement in SOUTH_SLAVIC_TIME_WORDS]
