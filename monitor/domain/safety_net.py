"""The safety net: a reply that mentions an emergency-domain concept in words the phrase lists
did not recognise is an emergency, unless the mention is clearly negated, clearly reassuring or
clearly about something else. Pure; runs on the normalised words (see parsing.normal_words).

Why: the phrase lists (lexicon_en.py, lexicon_es.py) recognise how patients usually write, but
each held-out round of fresh replies found new phrasings of breathing trouble or chest pain
that slipped through ("my chest is on fire", "dolor en el torax", "can't brthe"). Emergency
recall must be total, so a word from an emergency domain that no phrase explains is read the
cautious way: escalated, with a reason that says so. clinical.md section 5: "when in doubt,
escalate".

What it watches (whole words, accents and doubled letters already removed; see STEMS):
- breathing: breath/breathe and its misspellings (brth, brthe, breth, breat...), air, aire,
  aliento, lung(s), pulmon..., respir..., oxygen/o2/oxigeno, sats, saturation/saturacion,
  oximeter, inhaler/inhalador, nebuliser, asthma/asma, dyspnoea/disnea, suffocate, asfixia,
  ahogo, sofoco (not "sofocos", hot flushes); a dictation slip in a breathing frame ("catch my
  bread", "trouble breeding", "short of breast"); "out of puff"; having to sleep sitting up
  (orthopnoea).
- chest: chest, pecho, torax, thorax, thoracic, sternum, esternon, breastbone, breast (a woman's
  "pain under my left breast" is chest pain); dictation "test pain", "me duele el techo".
- heart: heart, heartbeat, corazon, pulse, pulso, latidos, only with a symptom word near it
  ("heart feels weird", "corazon acelerado"; not "heart doctor", "de corazon"); palpitations
  alone. New palpitations count: these drugs carry QTc warnings and DS can cause pericardial
  effusion.
- fainting and consciousness: faint (not "faint rash", "faint of heart"), feint, desmayo and
  its misspellings, conocimiento, conciencia, (un)conscious, (in)consciente, seizure and its
  misspellings, convulsion, epilepsy, syncope/sincope, collapse, desplome, "past out".
- colour: blue/purple/grey/dusky/ashen, morado/azul/amoratado/gris/cenizo near lips, skin,
  face, fingers, nails, mouth, toes, labios, piel, cara, dedos, unas, boca; "his colour is off".
- blood with a cough or vomiting in the same sentence (blood, bleeding, sangre, sangrado with
  cough, spit, phlegm, vomit, threw up, tos, escupir, flema, vomito, devolver), and red or pink
  phlegm or spit.
- confusion: confused and its misspellings, confundido, disoriented/desorientado, desubicado,
  delirium, hallucinations/alucinaciones, incoherent, gibberish, nonsense, desvario; "talking
  to people who aren't there", "ve cosas que no hay".
- fluid around the heart or lungs, as a patient hears a scan result ("echo showed fluid around
  my heart", "derrame pleural"): DS sign 6, which the phrase lists read only for the lungs.

What counts as clearly fine, negated or something else (then the mention is left alone):
- Words the phrase lists already read (a sign phrase, negated or not, or a "breathing fine"
  phrase): those have their own rules.
- Reassured in its own clause, right after it or just before: "lungs are clear", "breath is
  fine", "pecho bien", "heart feels normal", "good breathing", "no problems". Not reassurance:
  improvement ("chest feels better": improvement is not absence, as the corpus header says), a
  question ("are my lungs ok?"), a condition ("fine until I walk", "ok when resting").
- Negated: "no chest issues", "no seizures", "not confused", "sin sangre", and for every
  domain a negated problem ("no trouble with my lungs", "no breth problems"). Breathing words
  and consciousness words are NOT cleared by a bare negation: "not brthing", "no air",
  "not conscious" are the emergency itself.
- Something else: a test, device or appointment attached to the word ("chest x-ray", "port in
  my chest", "radiografia de torax", "oxygen tank", "inhaler refill", "lung function test",
  "heart doctor", "blood work", "analisis de sangre"), a reading of oxygen with its number (the
  number rules judge it), a skin complaint placed on the chest ("rash on my chest"), and
  idioms ("bad breath", "took my breath away", "hold my breath", "fresh air", "aire
  acondicionado", "mal aliento", "off my chest", "chest of drawers", "dar pecho", "para su
  conocimiento", "self conscious", "confused about the time", "nail polish").
- Heartburn, indigestion, reflux, acidez, agruras: decided NOT to escalate. They are common
  (steroids, given for DS and as prophylaxis, often cause reflux); they are already a
  complaint that keeps a reply "unclear" (the patient is asked for the menu numbers, and a
  second unclear reply reaches a nurse); and any chest word with them ("burning in my chest")
  is chest pain by the phrase lists or by this net. "Heart burn" in two words is heartburn.

The net only raises a reply to emergency; it never lowers anything and adds no sign (it would
tell a nurse something the patient did not say): the reason quotes the words instead.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from itertools import accumulate

from monitor.domain import lexicon as lx
from monitor.domain import negation as neg

# --- the words watched -------------------------------------------------------------------------

# One pattern per domain, matched against one normalised word at a time.
STEMS: dict[str, str] = {
    "breathing": (
        r"br[ea]{0,2}th\w*|brth\w*|breat\w*|bref|brefing|bretahe|braeth\w*"
        r"|air|aire|aliento|lungs?|pulmon\w*|pulmao|respir\w*"
        r"|oxygen\w*|oxigen\w*|oxyg\w*|sats|saturation\w*|saturac\w*|satur(?:a|o|ando|ado|ada)"
        r"|oximeter\w*|oximetr\w*|pulsioximetr\w*|pulse?ox\w*|ox"
        r"|inhal\w*|nebuli[sz]\w*|nebs?|puffers?|albuterol|ventolin|salbutamol"
        r"|asthma\w*|asma\w*|asmatic\w*|dyspn\w*|disne\w*|suffoc\w*|sufoc\w*|asfix\w*|ahog\w*"
        r"|sofoc\w*|smother\w*"
    ),
    "chest": (
        r"chest|chests|chst|cheast|chets|chesr|chestt|pecho|pechos|pexo|pecjo|torax|toraxico"
        r"|toracic\w*|thorax|thoracic|sternum|esternon|breastbone|breasts?|brest"
    ),
    "heart": r"heart|hearts|hart|heartbeats?|corazon\w*|corason\w*|pulse|pulso|latidos?",
    "palpitations": r"palpit\w*",
    "consciousness": (
        r"f(?:ai|ei)n[td]\w*|fa(?:i|)nt(?:ed|ing)|fainded|desma[yilj]\w*|desmall\w*|desmai\w*"
        r"|conocimiento|conosimiento|conocimento|conciencia|consciencia|conscious\w*|concious\w*"
        r"|consious\w*|unconscious\w*|unconcious\w*|inconscient\w*|inconcient\w*"
        r"|conscient\w*|concient\w*|s(?:ei|ie|e|ea|i)[sz]ures?|convul\w*|combul\w*|epilep\w*"
        r"|s[iy]ncop\w*|colaps\w*|desplom\w*"
    ),
    "colour": (
        r"blu|blue|blues|bluish|blueish|purpl\w*|gr[ae]y|gr[ae]yish|dusky|ashen|ashy|morad[oa]s?"
        r"|moradit[oa]s?|azul|azules|azulad[oa]s?|amoratad[oa]s?|gris|grises|grisace\w*"
        r"|cenizo\w*|violet[ae]s?|violaceo\w*"
    ),
    "blood": r"blood\w*|blod\w*|bleed\w*|bled|sangr\w*|sangu\w*",
    "confusion": (
        r"con?f[uo][sz]\w*|comf[uo]s\w*|confund\w*|d[iey]s+or[iey]*ent\w*|delir\w*"
        r"|delusion\w*|hal+uc\w*|alucin\w*|incoheren\w*|gibberish|jibberish|nonsense|desvari\w*"
        r"|desubicad\w*"
    ),
}
# Words that fit a stem above but are something else.
NOT_STEMS = frozenset(
    {
        "breather", "breathers", "breathtaking", "breathtakingly", "brethren", "breathalyzer",
        "airport", "airline", "airlines", "airways", "aired", "airing", "airy",
        "sofocos", "sofoco", "pulmonologist", "pulmonology", "pulmonologo", "pulmonologa",
        "confusing", "confusingly", "confuse", "confuses", "bluetooth", "blueberries",
        "blueberry", "greyhound",
        "sangria", "fainthearted", "conscientious", "concientizar",
        "breastfeeding", "breastfed", "breastfeed", "conscience", "consciences", "feint",
        "collapsible", "bluey", "graying", "greying",
    }
)  # fmt: skip

# The words that make a heart mention a symptom (within four words after it in its clause,
# three before).
HEART_CUES = (
    r"hurt\w*|pain\w*|ach\w*|sore|racing|races|raced|race|pound\w*|flutter\w*|flip\w*|flop\w*"
    r"|skip\w*|palpit\w*|squeez\w*|tight\w*|heavy|heavi\w*|pressure|weird\w*|funny|strange\w*"
    r"|odd|off|irregular\w*|fast|faster|rapid\w*|hard|harder|jump\w*|thump\w*|stop\w*|crazy"
    r"|wild|sharp|stab\w*|bang\w*|slam\w*|slow|slower|high|higher|uncomfortable|discomfort"
    r"|throb\w*|flicker\w*|quiver\w*|tremb\w*"
    r"|duel\w*|dol\w*|acelera\w*|late|latia|latiendo|laten|palpit\w*|brinc\w*|salt\w*"
    r"|rapid\w*|fuerte\w*|raro|rara|extran\w*|apret\w*|oprim\w*|pesad\w*|agitad\w*|desbocad\w*"
    r"|loco|arde|ardor|punz\w*|molest\w*|acelerado|sale|salir|mil|rapidisimo"
)
# Words that follow or precede a watched word when it is about a test, a device, an
# appointment or another body matter (the mention is then no symptom).
LOGISTICS = (
    r"port|ports|line|lines|picc|tube|tubes|catheter\w*|cath|drain\w*|x ray\w*|xray\w*|ray|rays"
    r"|film|films|scan\w*|ct|cat scan|mri|pet|ultrasound|echo\w*|ekg|ecg|test|tests|testing"
    r"|results?|exam\w*|biops\w*|function|doctor|doc|dr|specialist|clinic|appointment\w*|appt"
    r"|apt|surgery|surgeon|monitor\w*|hair|strap|sticker\w*|electrode\w*|dressing|bandage"
    r"|tank|tanks|concentrator\w*|machine\w*|tubing|cannula|supplies|supplier|delivery|company"
    r"|order|refill\w*|prescription\w*|script|rx|therap\w*|exercises?|class|app|cancer"
    r"|nodules?|panel|swab|implants?|feeding"
    r"|milk|pump|mammogram|freezer|drawers|rub|day|workout|press"
    r"|puerto|reservorio|cateter|sonda|tubo|drenaje|radiografi\w*|rayos|placa|placas"
    r"|tomografi\w*|tac|resonancia|ecografi\w*|eco|ecocardiograma|electro\w*|estudios?"
    r"|examen\w*|analisis|pruebas?|resultados?|biopsia|doctora?|medic[oa]|cardiolog\w*"
    r"|neumolog\w*|especialista|clinica|cita|citas|consulta|cirugia|operacion|tanque"
    r"|concentrador|maquina|receta|vello|pelo"
)
# Between a test or device and the watched word: "x-ray of my chest", "port en el pecho".
_CONNECT = r"(?:(?:of|in|on|for|my|his|her|the|a|de|del|el|en|la|mi|su|sus|los|las|al|to) )"
# A skin matter placed on the chest is no chest pain ("rash on my chest").
SKIN = (
    r"rash\w*|spots?|bumps?|bruis\w*|cut|cuts|scratch\w*|moles?|lumps?|pimples?|acne|zits?"
    r"|sunburn\w*|itch\w*|blisters?|tattoo\w*|scar|scars|incision|wound|patch|patches|hives"
    r"|welts|hair|freckles?|manchas?|ronchas?|granos?|granitos|sarpul\w*|moreton\w*|lunar\w*"
    r"|herida|cicatriz|comezon|picazon|pica|vello|pelos?|quemadura|sarna|erupcion\w*"
    r"|urticaria|salpul\w*|lesion\w*|lesions?|sores?|boils?|cysts?|quistes?|ampollas?"
)
# Idioms and compounds where the word is not the symptom, per domain: (right after, right
# before). "Right before" patterns end where the watched word starts.
NOT_AFTER: dict[str, str] = {
    "breathing": (
        r"away|mints?|smel\w*|stinks?|fresh\w*|tests?|of fresh|condition\w*|con|ac|fryer"
        r"|mattress|bed|purifier\w*|filter\w*|freshener\w*|quality|travel|pods|plane|bnb"
        r"|force|drop|horn|mail|bags?|acondicionado|libre|fresco|puro|frio|caliente"
        r"|de (?:la|que)|de trabajo|(?:through|thru|out of|with|from) (?:my |his |her |the |)nose"
    ),
    "chest": r"of drawers|freezer|day|press|workout|rub",
    "heart": (
        r"goes out|go out|went out|of gold|is full|emoji|burn\w*|failure|valve\w*|condition"
        r"|disease|murmur|de oro|meds|medication\w*|medicine\w*|pills?|pastillas?|medicina"
        r"|medicamentos?|rate (?:is |was |of |)(?:normal|fine|ok|good|[0-9])"
    ),
    "consciousness": (
        r"of heart|hearted|smell\w*|odou?r|taste|line|lines|marks?|rash|pink|red|colou?r"
        r"|sound|noise|voice|hope|idea|memory|light|glow|scar|bruise|positive|trace|streaks?"
        r"|of (?:it|that|this|what|the)|about|that|de (?:que|lo)|meds|medication\w*"
        r"|medicine\w*|pills?|pastillas?|medicina|medicamentos?|precautions?"
    ),
    "confusion": (
        r"about|by|with|on|what|which|how|why|if|as|over|regarding|because|at|whether|when"
        r"|where|me|us|the (?:message|text|menu|question|app|instructions|bill|schedule|times?)"
        r"|con|sobre|por|de|en cuanto|con respecto|que|las|los|la|el|al|mis|sus|a la hora"
    ),
    "blood": (
        r"work|test\w*|draw\w*|pressure|sugar\w*|count\w*|results?|labs?|transfus\w*|type"
        r"|thinner\w*|bank|donat\w*|panel|cultures?|levels?|cells?|check\w*|sample\w*|bp"
        r"|glucose|orange\w*|vessel\w*|stream|relative\w*"
    ),
}
NOT_BEFORE: dict[str, str] = {
    "breathing": (
        r"bad|morning|fresh|stinky|smelly|garlic|hold\w* (?:my|his|her|our|your|their|the)"
        r"|under (?:my|his|her)|waste of|bated|save (?:your|my)|open|hot|cool|clean|dry|humid"
        r"|by|on the|night|outside|room|on room|thin|mal|palabras de|mensajes? de|por el"
        r"|por su|por tu|darle|dar|dando|al|tom\w*(?: un poco de| el|)|corriente de|en el"
        r"|cambio de|breath of|saturad[oa]"
    ),
    "chest": (
        r"off (?:my|his|her|your|our|their)|treasure|dar(?: el|)|dando(?: el|)|hecho(?: ,|)"
        r"|chicken|turkey|duck|pollo|pavo"
    ),
    "heart": (
        r"bless (?:your|his|her|their)|bottom of (?:my|our)|all (?:my|our)|sweet|de(?: todo|)"
        r"|con(?: todo|)(?: el| mi|)|take|by|faint of|gracias mi|broken"
    ),
    "consciousness": r"self|health|body|cost|eco|environmentally|para(?: su| tu|)|a su",
    "colour": r"feel\w*(?: a bit| kinda| kind of| so| very|)|felt(?: a bit| kinda| so|)",
}

# Reassurance in the word's own clause: at most three other words between, none of them a
# negation or a clause word ("chest is fine", "lungs sound clear", "pecho bien"); not a
# question ("are my lungs ok?").
FINE = (
    r"fine|ok|okay|okey|good|great|normal|normally|clear|well|alright|easy|easily|perfect\w*"
    r"|stable|unchanged|bien|normales|tranquil\w*|estable|buen[oa]s?|excelente"
)
_FILLER_WORD = (
    r"(?!(?:not|no|isnt|arent|wasnt|werent|never|nada|nunca|but|pero|and|y|except|excepto"
    r"|still|sigue|as|hurts?|pain|dolor|duele)\b)[a-z]+ "
)
_FINE_AFTER = re.compile(
    lx.collapse_pattern(
        rf"(?:[:,=\-] )?(?:{_FILLER_WORD}){{0,3}}?(?:(?:{FINE})"
        r"|(?:no|without|sin|zero|0) (?:problems?|issues?|trouble|problemas?|molestias?"
        r"|dificultad|complaints?|concerns?))(?![a-z])(?! (?:until|till|til|unless|except|when"
        r"|whenever|if|only|ish|hasta|excepto|cuando|menos|si|solo)(?![a-z]))"
    )
)
_FINE_BEFORE = re.compile(
    lx.collapse_pattern(r"(?:^| )(?:good|normal|easy|clear|buena|buen|fine) $")
)
# A negation before a problem that the watched word belongs to: "no trouble with my lungs",
# "sin problemas del corazon"; or after it: "no breth issues".
_PROBLEM = (
    r"problems?|issues?|trouble|troubles|difficult\w*|discomfort|complaints?|concerns?"
    r"|problemas?|dificultad\w*|molestias?"
)
_NEGATED_PROBLEM_BEFORE = re.compile(
    lx.collapse_pattern(
        r"(?:^| )(?:no|not|without|sin|denies|deny|denied|dont have|doesnt have|never|nunca"
        r"|ningun\w*|zero) (?:any |real |major |new |ningun\w* |)"
        rf"(?:{_PROBLEM}) (?:with |in |on |con |en |de |del |para |al |for |)"
        r"(?:the |my |his |her |la |el |los |las |mi |su |)$"
    )
)
_PROBLEM_AFTER = re.compile(lx.collapse_pattern(rf"(?:{_PROBLEM})(?![a-z])"))

# Consciousness words that a negation does not clear ("not conscious", "sin conocimiento");
# breathing words are never cleared by a bare negation either ("not brthing", "no air").
_CONSCIOUS_STATE = re.compile(
    lx.collapse_pattern(
        r"conocimiento|conosimiento|conocimento|conciencia|consciencia|conscious\w*"
        r"|concious\w*|consious\w*|conscient\w*|concient\w*"
    )
)


def _collapsed(source: str) -> re.Pattern[str]:
    return re.compile(lx.collapse_pattern(source))


# Two-word and framed mentions, matched on the whole normalised text.
PHRASES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("consciousness", _collapsed(r"(?<![a-z])(?:past|pasd) out(?![a-z])")),  # dictation
    (
        "breathing",  # a dictation slip inside a breathing frame: "catch my bread"
        _collapsed(
            r"(?<![a-z])(?:catch\w*|short|shortnes|trouble|troubles|hard|harder|cant|canot"
            r"|cannot|difficult\w*|struggl\w*|gasp\w*|problems?|unable to) (?:[a-z]+ ){0,2}?"
            r"(?:bread|breads|breding|bred|brede|breed|breds|breze|brezing|brezes|brief"
            r"|brest|breast|breading|brethin|bretin|breadth)(?![a-z])"
        ),
    ),
    (
        "colour",  # "his colour is off", "su color no es bueno"
        _collapsed(
            r"(?<![a-z])(?:his|her|my|their|your|su|sus) colou?r (?:[a-z]+ ){0,2}?(?:off|bad"
            r"|weird|funny|strange|awful|terrible|wrong|mal|feo|fea|raro|rara|not (?:good|right"
            r"|normal|great)|isnt (?:good|right|normal|great)|no (?:es |esta |se ve |)(?:buen[oa]"
            r"|normal|bien))(?![a-z])"
        ),
    ),
    (
        "breathing",  # "out of puff", "have to sleep sitting up" (orthopnoea)
        _collapsed(
            r"(?<![a-z])(?:out of puff|puffed out|puffing|(?:sleep\w*|slept) (?:sitting up|upright"
            r"|in (?:a|the|my) (?:chair|recliner))|propped up on (?:[0-9]+|three|four|five|lots of"
            r"|more) pillows|dormir sentad[oa]|duerm\w* sentad[oa])(?![a-z])"
        ),
    ),
    (
        "chest",  # dictation: "test pain", "me duele el techo"
        _collapsed(
            r"(?<![a-z])(?:(?:test|chess|chez) (?:pain\w*|hurts?|pressure|tight\w*)"
            r"|(?:duele|dolor\w*|aprieta|opresion|presion) (?:en |de |del |)(?:el |mi |)techo)"
            r"(?![a-z])"
        ),
    ),
    (
        "confusion",  # "talking to people who aren't there", "ve cosas que no hay"
        _collapsed(
            r"(?<![a-z])(?:(?:talk\w*|speak\w*) to (?:people|someone|somebody|others) (?:who|that)"
            r" (?:isnt|arent|wasnt|werent|is not|are not) (?:there|here)|(?:ve|veia|viendo|mira)"
            r" (?:cosas|gente|personas) que no (?:hay|estan|existen|esta)|(?:habla|hablando) con"
            r" (?:gente|personas) que no)(?![a-z])"
        ),
    ),
    (
        "fluid",  # DS sign 6 as a patient hears it after a scan (clinical.md section 2)
        _collapsed(
            r"(?<![a-z])(?:(?:fluid|effusion|liquido|agua|derrame)s? (?:[a-z]+ ){0,3}?(?:around"
            r"|in|on|near|by|alrededor del?|en|del?|cerca del?) (?:the |my |his |her |el |los |la"
            r" |las |mi |su |sus |)(?:heart|lungs?|chest|corazon|pulmon\w*|pecho|pleura\w*"
            r"|pericardi\w*)|(?:pleural|pericardial|pleura\w*|pericardi\w*) (?:effusion|fluid"
            r"|derrame)|derrame (?:pleural|pericardico))(?![a-z])"
        ),
    ),
)

# Alarm without a named body part: a patient who feels they are dying, asks for an ambulance,
# has pain in the jaw or left arm (where heart pain often shows), or a cold sweat (shock).
PHRASES += (
    (
        "distress",
        _collapsed(
            r"(?<![a-z])(?:(?:feel\w*|think|thought|going to|gonna|about to|i am|im|she is|shes"
            r"|he is|hes) (?:like |as if |)(?:i |im |i am |she |he |)(?:dying|am dying|is dying"
            r"|going to die|gonna die|will die)(?! (?:to|for|of (?:boredom|laughter|laughing"
            r"|hunger|curiosity|embarrassment|shame|cuteness)|laughing))"
            r"|(?:me voy a|se va a|nos vamos a) morir(?! de (?:risa|ganas|hambre|sueno|verguenza))"
            r"|(?:siento|sento|creo) que me (?:muero|voy a morir)|me estoy muriendo"
            r"|se (?:esta|nos esta) muriendo"
            r"|(?:call\w*|need\w*|get|send|should i call) (?:an? |the |)"
            r"(?:ambulance|ambulances|911|9 1 1|paramedics?)|ambulanc\w*|(?:llam\w*|necesit\w*"
            r"|pid\w*|mand\w*) (?:a |la |una |al |)(?:ambulancia|911|paramedicos)"
            r"|something (?:is |feels |)(?:very |really |seriously |terribly |)wrong with (?:me|him"
            r"|her|my (?:mom|mother|dad|father|husband|wife|son|daughter))"
            r"|algo (?:anda|esta|va|me pasa) (?:muy |)mal)(?![a-z])"
        ),
    ),
    (
        "cardiac",
        _collapsed(
            r"(?<![a-z])(?:(?:pain\w*|hurt\w*|ach\w*|numb\w*|tingl\w*|dolor\w*|duel\w*"
            r"|adormec\w*|entumec\w*|hormigue\w*) (?:[a-z]+ ){0,4}?(?:jaw|jaws|mandibula"
            r"|quijada|left arm|left shoulder|brazo izquierdo|hombro izquierdo)"
            r"|(?:jaw|jaws|mandibula|quijada|left arm|left shoulder|brazo izquierdo"
            r"|hombro izquierdo) (?:[a-z]+ ){0,4}?(?:pain\w*|hurt\w*|ach\w*|numb\w*|tingl\w*"
            r"|dolor\w*|duel\w*|adormec\w*|entumec\w*|hormigue\w*))(?![a-z])"
        ),
    ),
    (
        "shock",
        _collapsed(
            r"(?<![a-z])(?:cold sweats?|clammy|sweaty and (?:pale|cold|weak)|(?:pale|cold) and"
            r" sweaty|sudor\w* fri\w*|sudando fri\w*|frio y sudad\w*|sudad\w* y fri\w*"
            r"|piel (?:fria|pegajosa))(?![a-z])"
        ),
    ),
)

_ANY_PHRASE = re.compile("|".join(f"(?:{pattern.pattern})" for _, pattern in PHRASES))

# Pairs: a colour word near a body word, blood near a cough or vomiting.
BODY = re.compile(
    lx.collapse_pattern(
        r"lips?|labio\w*|skin|piel|face|cara|fingers?|fingertips?|nails?|fingernails?|toes?"
        r"|mouth|boca|dedos?|unas|manos?|hands?|feet|pies|tongue|lengua|colou?r|complexion|tez"
        r"|extremities|extremidades"
    )
)
# Paint, make-up and bruises anywhere in the sentence; things that are blue right next to it.
COLOUR_NOT = re.compile(
    lx.collapse_pattern(
        r"polish|paint\w*|dye\w*|dyed|ink|marker\w*|lipstick|makeup|esmalte|pint\w*|tint\w*"
        r"|labial|maquillaje|bruis\w*|moreton\w*|tattoo\w*|tatuaje|vein\w*|venas?|gloss|chalk"
    )
)
COLOUR_THING = re.compile(
    lx.collapse_pattern(
        r"eyes|ojos|shirt|dress|hat|jeans|shoes|sky|cielo|ropa|camisa|balls?|pills?|pastillas?"
        r"|bag|folder|envelope|car|team|screen|pens?|cap|jacket|sweater|hair|pelo|cabello"
    )
)
COUGH = re.compile(
    lx.collapse_pattern(
        r"c[ao]ugh\w*|cof|cofs|cofed|cofing|spit\w*|spat|hack\w*|phlegm|flem\w*|sputum|mucus"
        r"|mucous|vomit\w*|puk\w*|barf\w*|threw|throw\w*|tos|tose\w*|tosi\w*|tosa|toso|toser"
        r"|toz\w*|escup\w*|flema\w*|esputo\w*|gargaj\w*|devol\w*|devuel\w*|arroj\w*|basca\w*"
    )
)
PRODUCT = re.compile(
    lx.collapse_pattern(
        r"phlegm|sputum|mucus|spit|flema\w*|esputo\w*|gargaj\w*|saliva|tissues?|kleenex"
        r"|panuelos?|napkin|servilleta"
    )
)
REDDISH = re.compile(
    lx.collapse_pattern(r"red|reddish|redish|pink\w*|rusty|rosad\w*|roj\w*|rosa|brown")
)
BLOOD_NOT_BEFORE = re.compile(
    lx.collapse_pattern(
        r"(?:^| )(?:analisis|examen\w*|pruebas?|muestras?|transfus\w*|sac\w*|don\w*|azucar"
        r"|conteo|laboratorio|tipo|presion|estudios?|check|test|tests|high|low|draw\w*|gave"
        r"|give|giving) (?:de |del |la |mi |su |my |the |a |)(?:la |)$"
    )
)

SENTENCE_MARKS = frozenset({".", "!", "?", ";"})
CLAUSE_ENDS = lx.CLAUSE_MARKS | {","} | lx.collapse_all(lx.CLAUSE_WORDS)
PAIR_REACH = 4  # words between a colour and a body word
BLOOD_REACH = 8  # words between blood and a cough or vomiting

_STEM = re.compile(
    "|".join(f"(?P<{name}>{lx.collapse_pattern(source)})" for name, source in STEMS.items())
)
_NOT_STEMS = lx.collapse_all(NOT_STEMS)
_HEART_CUE = re.compile(lx.collapse_pattern(rf"(?:{HEART_CUES})"))
_NOT_AFTER = {
    name: re.compile(lx.collapse_pattern(rf"(?:{source})(?![a-z0-9])"))
    for name, source in NOT_AFTER.items()
}
_NOT_BEFORE = {
    name: re.compile(lx.collapse_pattern(rf"(?:^| )(?:{source}) $"))
    for name, source in NOT_BEFORE.items()
}
_LOGISTICS_AFTER = re.compile(lx.collapse_pattern(rf"(?:{LOGISTICS})(?![a-z0-9])"))
# "x-ray of my chest", "port in his chest", "radiografia de torax", "cateter en el pecho"; not
# "after the scan my chest ..." nor "appointment for my chest" (a reason to see a doctor).
_LOGISTICS_BEFORE = re.compile(
    lx.collapse_pattern(
        rf"(?:^| )(?:{LOGISTICS}) (?:of|in|on|de|del|en) (?:my |his |her |the "
        r"|a |el |la |mi |su |los |las |their |)$"
    )
)
_SKIN_BEFORE = re.compile(
    lx.collapse_pattern(
        rf"(?:^| )(?:{SKIN}) (?:[a-z]+ ){{0,2}}(?:on|across|over|en|sobre|in) {_CONNECT}{{0,2}}$"
    )
)
_READING = re.compile(r"(?:[a-z%:=]+ ){0,3}[0-9]")

LABELS = {
    "breathing": "breathing",
    "chest": "the chest",
    "heart": "the heart",
    "palpitations": "palpitations",
    "consciousness": "fainting or consciousness",
    "colour": "a blue or grey colour",
    "blood": "blood with a cough or vomiting",
    "confusion": "confusion",
    "fluid": "fluid around the heart or lungs",
    "distress": "feeling gravely ill or needing an ambulance",
    "cardiac": "jaw or left-arm pain, which can come from the heart",
    "shock": "a cold sweat or clammy skin",
}


@dataclass(frozen=True)
class Concern:
    """One mention the net escalates: its domain and the words as written."""

    domain: str  # a key of LABELS
    words: str

    @property
    def reason(self) -> str:
        return (
            f'mentions {LABELS[self.domain]} ("{self.words}") and does not say it is fine:'
            " escalated to be safe"
        )


@lru_cache(maxsize=8192)
def stem_domain(word: str) -> str | None:
    """The domain a normalised word belongs to, if any."""
    if word in _NOT_STEMS or not word.isalpha():
        return None
    match = _STEM.fullmatch(word)
    return match.lastgroup if match else None


class _Reply:
    """The normalised words of one reply with the context the checks need."""

    def __init__(self, words: Sequence[str], known: Sequence[tuple[int, int]]) -> None:
        self.words = list(words)
        self.known = [False] * len(self.words)
        for first, end in known:
            for at in range(first, min(end, len(self.words))):
                self.known[at] = True
        self.sentence = list(accumulate((word in SENTENCE_MARKS for word in self.words), initial=0))
        self.text = " ".join(self.words)

    @cached_property
    def starts(self) -> list[int]:
        """Where each word starts in `text`."""
        return list(accumulate((len(word) + 1 for word in self.words[:-1]), initial=0))

    def before(self, at: int, reach: int = 5) -> str:
        return "".join(f"{word} " for word in self.words[max(at - reach, 0) : at])

    def after(self, at: int, reach: int = 6) -> str:
        return " ".join(self.words[at + 1 : at + 1 + reach])

    def clause_after(self, at: int, reach: int = 5) -> str:
        """The words after `at` up to the end of its clause (a first ':' or ',' is kept)."""
        out: list[str] = []
        for index, word in enumerate(self.words[at + 1 : at + 1 + reach]):
            if word in CLAUSE_ENDS and not (index == 0 and word in {":", ",", "-", "="}):
                break
            out.append(word)
        return " ".join(out)

    def next_mark(self, at: int) -> str:
        """The first punctuation mark after `at` in its clause ("?" makes a question)."""
        for word in self.words[at + 1 :]:
            if word in CLAUSE_ENDS:
                return word if not word.isalpha() else ""
        return ""

    def negated(self, at: int) -> bool:
        return neg.negated_before(self.words, at)

    def near(self, at: int, reach: int) -> range:
        """Word positions within `reach` of `at` in the same sentence."""
        first, last = max(at - reach, 0), min(at + reach, len(self.words) - 1)
        while self.sentence[first] != self.sentence[at]:
            first += 1
        while self.sentence[last] != self.sentence[at]:
            last -= 1
        return range(first, last + 1)


def scan(
    words: Sequence[str], written: Sequence[str], known: Sequence[tuple[int, int]]
) -> tuple[Concern, ...]:
    """The concerns in one reply: `words` are the normalised words, `written` the same words
    as written (parsing.Tokens), `known` the (first, end) word spans the phrase lists read.
    At most one concern per domain, in the order written."""
    reply = _Reply(words, known)
    found: dict[str, Concern] = {}
    for at, word in enumerate(reply.words):
        if reply.known[at]:
            continue
        domain = stem_domain(word)
        if domain is None:
            continue
        if domain == "colour":
            span = _colour(reply, at)
        elif domain == "blood":
            span = _blood(reply, at)
        else:
            span = (at, at + 1) if _watched(reply, at, domain) else None
        domain = "heart" if domain == "palpitations" else domain
        if span is not None and domain not in found:
            found[domain] = Concern(domain, _quote(reply, written, span))
    if _ANY_PHRASE.search(reply.text):
        for domain, pattern in PHRASES:
            if domain not in found:
                span = _phrase(reply, pattern)
                if span is not None:
                    found[domain] = Concern(domain, _quote(reply, written, span))
    if "blood" not in found and any(_is_product(word) for word in reply.words):
        span = _red_phlegm(reply)
        if span is not None:
            found["blood"] = Concern("blood", _quote(reply, written, span))
    return tuple(found.values())


def _watched(reply: _Reply, at: int, domain: str) -> bool:
    """A single watched word that is not clearly fine, negated or about something else."""
    word, before, after = reply.words[at], reply.before(at), reply.after(at)
    if _LOGISTICS_AFTER.match(after) or _LOGISTICS_BEFORE.search(before):
        return False
    if domain in _NOT_AFTER and _NOT_AFTER[domain].match(after):
        return False
    if domain in _NOT_BEFORE and _NOT_BEFORE[domain].search(before):
        return False
    reading = word.startswith(("oxy", "oxi", "sat", "ox", "puls")) and _READING.match(after)
    if domain == "breathing" and reading:
        return False  # a reading: the number rules judge it
    if domain == "chest" and _SKIN_BEFORE.search(before):
        return False
    if domain == "heart" and not _heart_symptom(reply, at):
        return False
    if _reassured(reply, at) or _NEGATED_PROBLEM_BEFORE.search(before):
        return False
    if domain == "breathing" or _CONSCIOUS_STATE.fullmatch(word):
        return not (reply.negated(at) and _PROBLEM_AFTER.match(after))
    return not reply.negated(at)


def _heart_symptom(reply: _Reply, at: int) -> bool:
    """A heart word with a symptom word in its clause: four words after, three before."""
    after = reply.clause_after(at, 4).split()
    before = [
        word
        for word in reply.words[max(at - 3, 0) : at]
        if word not in CLAUSE_ENDS and word.isalpha()
    ]
    return any(_HEART_CUE.fullmatch(word) for word in after + before)


def _reassured(reply: _Reply, at: int) -> bool:
    """Said to be fine in its own clause, after it or just before it."""
    if _FINE_BEFORE.search(reply.before(at, 1)):
        return True
    if reply.next_mark(at) == "?":
        return False  # "are my lungs ok?" asks; it does not reassure
    return _FINE_AFTER.match(reply.clause_after(at) + " ") is not None


def _colour(reply: _Reply, at: int) -> tuple[int, int] | None:
    """A colour word near a body word in the same sentence, neither negated, no paint."""
    if reply.negated(at) or _NOT_BEFORE["colour"].search(reply.before(at, 4)):
        return None
    neighbours = reply.words[max(at - 1, 0) : at + 2]
    if any(COLOUR_THING.fullmatch(word) for word in neighbours):
        return None  # "blue eyes", "camisa azul"
    if any(COLOUR_NOT.fullmatch(reply.words[index]) for index in reply.near(at, 12)):
        return None
    for other in reply.near(at, PAIR_REACH):
        if other == at or reply.known[other] or not BODY.fullmatch(reply.words[other]):
            continue
        first, last = sorted((at, other))
        between = reply.words[first + 1 : last]
        if any(word in neg.NEGATORS or word == "no" for word in between):
            continue
        return first, last + 1
    return None


def _blood(reply: _Reply, at: int) -> tuple[int, int] | None:
    """Blood and a cough or vomiting in one sentence, neither negated nor a lab test."""
    after = reply.after(at)
    if reply.negated(at) or BLOOD_NOT_BEFORE.search(reply.before(at, 3)):
        return None
    if _NOT_AFTER["blood"].match(after) or _LOGISTICS_AFTER.match(after):
        return None
    for other in reply.near(at, BLOOD_REACH):
        word = reply.words[other]
        if other == at or not COUGH.fullmatch(word) or reply.negated(other):
            continue
        if word.startswith(("threw", "throw")) and reply.after(other, 1) != "up":
            continue
        first, last = sorted((at, other))
        return first, last + 1
    return None


def _phrase(reply: _Reply, pattern: re.Pattern[str]) -> tuple[int, int] | None:
    """The first match of a two-word or framed mention that the phrase lists did not read."""
    for match in pattern.finditer(reply.text):
        first = bisect.bisect_right(reply.starts, match.start()) - 1
        end = bisect.bisect_left(reply.starts, match.end())
        if not any(reply.known[first:end]) and not reply.negated(first):
            return first, end
    return None


@lru_cache(maxsize=4096)
def _is_product(word: str) -> bool:
    return PRODUCT.fullmatch(word) is not None


def _red_phlegm(reply: _Reply) -> tuple[int, int] | None:
    """Red or pink phlegm or spit: blood, when in doubt ("phlegm is kind of pink")."""
    for at, word in enumerate(reply.words):
        if not _is_product(word) or reply.negated(at):
            continue
        for other in reply.near(at, 4):
            if REDDISH.fullmatch(reply.words[other]) and not reply.known[other]:
                first, last = sorted((at, other))
                return first, last + 1
    return None


def _quote(reply: _Reply, written: Sequence[str], span: tuple[int, int]) -> str:
    """The words of the mention as written, with up to three more words of its clause."""
    first, end = span
    last = end
    while last < min(end + 3, len(reply.words)) and reply.words[last] not in CLAUSE_ENDS:
        last += 1
    quoted = " ".join(word for word in written[first:last] if word)
    return quoted or " ".join(reply.words[first:last])
