"""Spanish phrases for each sign, for "none" and for other complaints (see lexicon.py for the
normalised text they run on: no accents, "ñ" -> "n", "ll" -> "l", "rr" -> "r"). Written for
first person and for a caregiver ("mi mamá tiene fiebre", "se desmayó", "le falta el aire")."""

from __future__ import annotations

from monitor.domain.lexicon import GAP1, GAP2, GAP3, Phrases

ME = r"(?:me|le|te|nos|les|se)"
DUELE = r"(?:duel\w*|dol(?:ia|io|ian|ieron|ido|era|iera)\w*)"  # any tense of "doler"
RESPIR = r"(?:respir\w*)"
BIEN = (
    r"(?:bien|normal|normalmente|sin problemas?|sin dificultad|tranquil\w*|perfect\w*)"
    r"(?! (?:hasta|excepto|salvo|cuando|menos|solo|si)(?![a-z]))"  # "bien hasta que camino"
)
EL = r"(?:el |la |los |las |mi |mis |su |sus |)"

EMERGENCY: dict[str, Phrases] = {
    "breathing": Phrases(
        present=(
            rf"{ME} (?:sigue |siguen |continua |)(?:{GAP1}|sigue )falt\w* {GAP2}(?:el |la |)"
            r"(?:aire|respiracion|aliento)",
            rf"faltand(?:ome|ole|onos|oles) {GAP1}(?:el |la |)(?:aire|respiracion|aliento)",
            rf"(?:agua|liquidos?|flemas?) en {EL}pulmon\w*|pulmon\w* {GAP2}(?:llen\w*|{DUELE}"
            r"|dolor\w*|pesad\w*|ard\w*|apretad\w*|cerrad\w*)",
            rf"(?:problemas?|dificultad\w*|molestias?) {GAP2}(?:para |al |con |de |)(?:la |)"
            rf"{RESPIR}",
            rf"(?:cierra|cerro|cerrando) {GAP1}(?:la |)garganta",
            r"falta (?:de |)(?:aire|aliento|respiracion|oxigeno)|sin (?:aire|aliento)",
            r"asfixi\w*|me asfixio",
            rf"{ME} {GAP1}(?:va|fue|iba|acaba|corta|escapa) {GAP1}(?:el |)(?:aire|aliento)",
            r"ahog\w*",
            rf"{ME} {GAP1}(?:cuesta|costaba|costo|costando) {GAP2}(?:{RESPIR}|aire|aliento)",
            rf"dificultad\w* {GAP1}(?:para|pa|al|de|en) {GAP1}{RESPIR}",
            rf"{RESPIR} {GAP1}(?:con |)(?:dificultad|agitad\w*|rapid\w*|dificil|cort\w*|pesad\w*"
            r"|entrecortad\w*|mal|fuerte|rar\w*|forzad\w*|trabajos\w*|peor|mejor|feo|ruidos\w*"
            r"|acelerad\w*|problemas?)",
            r"(?:estoy|esta|ando|anda|me siento|se siente|me pongo|se pone|quedo|queda) "
            r"(?:muy |bien |)(?:agitad\w*|sofocad\w*)",
            r"sofocad\w*|sofocacion|disnea|jade\w*|agitad[oa]s?|ahoguio|ortopnea|taquipnea"
            r"|(?:frecuencia respiratoria|respiraciones) (?:de |en |)(?:2[5-9]|[3-9][0-9])",
            rf"{ME} agit(?:o|a|an|e|aba)",
            rf"{ME} sofoc(?:o|a|an|e|aba|ando)\b|sofocandose",  # not "sofocos" (hot flushes)
            rf"{ME} cans\w* {GAP1}(?:al|para|cuando) {RESPIR}",
            rf"(?:silb\w*|chilla\w*) {GAP1}(?:el |del |en el |)pecho|silbido\w*",
            r"respiracion|respirando|respirar|respira|respiro",  # without "bien": escalate
            r"(?:ataque|crisis) (?:de |)asma|asma (?:fuerte|muy fuerte)|(?:me|le) dio (?:el |)asma"
            r"|resuell\w*|resoll\w*|(?:ataque|crisis) de fatiga|(?:me|le) dio (?:una |la |)fatiga",
            rf"(?:necesit\w*|uso|usa|us\w*) (?:mas |)oxigeno|oxigeno {GAP1}baj\w*",
        ),
        negative=(
            rf"no {GAP1}(?:puedo|puede|pude|pudo|podia|puedes|pueden|podemos|logro|logra"
            rf"|alcanzo a|alcanza a) {GAP2}(?:{RESPIR}|aire|aliento)",
            r"no (?:me |le |te |nos |)(?:entra|llega|alcanza|pasa) (?:bien |)(?:el |)aire",
            rf"no {GAP1}{RESPIR} bien|no (?:esta |)respirando|no respira|no respiro",
            r"sin (?:poder |)respirar",
            rf"no {GAP1}(?:agar\w*|jal\w*|cog\w*|tom\w*|pesc\w*|jal\w*) {GAP1}(?:el |)aire",
            rf"(?:casi|apenas) (?:no |)(?:puedo |puede |){RESPIR}",
        ),
        absent=(rf"{RESPIR} {GAP1}{BIEN}",),
    ),
    "chest_pain": Phrases(
        present=(
            rf"{ME} {GAP1}(?:cierra|cerro|aprieta) {GAP1}(?:el |)pecho",
            r"ataque al corazon|infarto",
            rf"dolor\w* {GAP2}(?:en |de |del |){EL}pecho",
            r"pecho (?:\w+ )?y (?:me |le |)(?:duele|arde|aprieta)",
            rf"{ME} (?:{DUELE}|ard\w*|apriet\w*|apret\w*|oprim\w*|molest\w*|punz\w*|quem\w*"
            rf"|pes[ao]\w*) {GAP2}{EL}pecho",
            r"(?:pesadez|dolor opresivo|opresivo)(?: en el pecho|)",
            rf"(?:pesad|apretad|oprimid|cerrad|adolorid|trancad)\w* {GAP1}{EL}pecho",
            rf"pecho {GAP3}(?:{DUELE}|dolor\w*|apretad\w*|pesad\w*|oprimid\w*|aprieta|arde|ardor"
            r"|puntad\w*"
            r"|cerrad\w*|trancad\w*|trabad\w*"
            r"|molest\w*|punzad\w*|presion|opresion|pincha|punza|quema)",
            rf"(?:elefante|piedra|ladrillo|losa|plancha|algo pesado|alguien) {GAP3}"
            rf"(?:en|sobre|encima de|encima del) {EL}pecho",
            # sin la palabra "pecho": "como si alguien estuviera sentado encima de mi"
            r"(?:alguien|algo pesado|un elefante|una piedra|una losa|un peso|un camion) "
            r"(?:estuviera |esta |estaba |)(?:sentad[oa]|parad[oa]|pisando|aplastando"
            r"|apretando|encima) (?:sobre|encima de|en|de|) ?mi",
            rf"(?:opresion|presion|apreton|punzad\w*|puntad\w*|clavad\w*|pinchazo\w*|ardor"
            rf"|molestia\w*|peso|dolor\w*"
            rf"|aprieta) {GAP3}(?:en|del|de|sobre) {EL}pecho",
            rf"{ME} (?:duele|dolio|duel\w*|arde) {GAP1}(?:al|cuando|para) {GAP1}{RESPIR}",
            rf"dolor {GAP1}al {RESPIR}",
            rf"(?:dolor\w*|duele) {GAP2}(?:en |de |del |){EL}corazon|angina|dolor toracico",
            rf"corazon {GAP2}(?:apretad\w*|oprimid\w*|duel\w*|dolor\w*|arde|pesad\w*|aprieta)"
            rf"|{ME} (?:aprieta|apretaba|oprime|duele|dolia|arde) {GAP1}(?:el |)corazon",
        ),
        negative=(rf"no (?:aguanto|soporto) {GAP2}pecho",),
        absent=(rf"pecho {GAP1}{BIEN}",),
    ),
    "fainting": Phrases(
        present=(
            r"convulsi\w*|epilep\w*|(?:le|me) dio un ataque(?! de (?:tos|panico|ansiedad|nervios"
            r"|risa|asma))",
            r"(?:tuvo|tuve|le dio|me dio|le dan|le da) (?:un |una |)(?:ataque|crisis)(?! de (?:tos"
            r"|panico|ansiedad|nervios|risa|asma|fatiga))|se (?:puso|quedo) (?:todo |toda |)"
            r"(?:rigid[oa]|ties[oa])",
            r"desmay\w*|desvanec\w*|desplom\w*|soponcio|patatus|yeyo|privad[oa]|se privo|me prive",
            r"se (?:me |le |)fue el (?:conocimiento|sentido)",
            rf"perd\w* {GAP1}(?:el |la |)(?:conocimiento|conciencia|sentido)",
            r"inconsciente|colaps\w*",
        ),
        negative=(
            rf"(?:desmay\w*|desvanec\w*|privo|prive) {GAP2}(?:, |)(?:pero |)(?:casi|por poco)",
            rf"no (?:reacciona|responde|despierta|contesta)(?! {GAP1}(?:el |los |mis |sus |)"
            r"(?:telefono|llamadas?|mensajes?|celular|whatsapp))",
            r"no (?:lo |la |le |)(?:puedo|podemos|pude) despertar",
            r"no (?:se |)(?:puede|podia|logra) (?:mantener(?:se|) despiert[oa]|despertar"
            r"|abrir los ojos)",
        ),
    ),
    "blue_lips": Phrases(
        present=(
            rf"labios {GAP3}(?:morad\w*|azul\w*|amoratad\w*|gris\w*|negr\w*|violeta\w*)",
            r"(?:morad\w*|azul\w*|amoratad\w*) (?:los |las |)(?:labios|dedos|unas)",
            rf"(?:dedos|cara|piel|boca|(?:las|mis|sus) unas|punta de los dedos) {GAP3}(?:morad\w*"
            r"|azul\w*|amoratad\w*|gris\w*|cenizo\w*|ceniza)",
            rf"(?:pus\w*|pon\w*|puest\w*|volv\w*|qued\w*) {GAP1}(?:morad\w*|azul\w*"
            r"|amoratad\w*)",
            r"cianosis|cianotic\w*",
            r"(?:estoy|esta|estan|ando|anda|se ve|se le ve|lo veo|la veo|luce|quedo|se quedo"
            r"|se puso) (?:muy |medio |todo |toda |como |bien |algo |)"
            r"(?:morad\w*|azul\w*|amoratad\w*|cenizo)",
        ),
    ),
    "coughing_blood": Phrases(
        present=(
            rf"(?:tos\w*|toc[ei]\w*|toz\w*|escup\w*|vomit\w*|devol\w*|arroj\w*|flema\w*|esputo\w*"
            r"|gargaj\w*"
            rf"|sacando|echando|echo|bota|boto) (?:y |con |){GAP3}sangre",
            rf"sangre {GAP3}(?:tos\w*|flema\w*|esputo|escup\w*|vomit\w*|devol\w*)",
            rf"(?:flema\w*|esputo\w*|escup\w*|gargaj\w*|tos\w*) {GAP2}(?:rosad\w*|roj\w*"
            r"|con hilos de sangre|sanguinolent\w*)",
            r"(?:posos|asientos) de cafe|como cafe molido"
            rf"|(?:vomit\w*|devol\w*) {GAP2}como (?:cafe"
            r"|borra)",
            r"hemoptisis",
            rf"(?:tos\w*|escup\w*|vomit\w*|devol\w*) {GAP2}coagulos?",
        ),
    ),
    "confusion": Phrases(
        present=(
            r"derrame cerebral|embolia|desvari\w*",
            r"(?:esta|anda|se ve) (?:como |medio |muy |)id[oa]\b",
            r"(?:esta|anda|estoy|ando|se ve|lo veo|la veo|lo noto|la noto) "
            r"(?:como |medio |muy |bien |algo |)"
            r"(?:perdid[oa]|ausente|desconectad[oa]|atontad[oa]|ensimismad[oa])",
            r"(?:se comporta|actua|esta actuando|se porta) (?:muy |medio |bien |como |algo |)"
            r"(?:rar[oa]|extran[oa])",
            r"no (?:puede |)habla(?:r|) bien|habla (?:raro|mocho|arrastrado|enredado|trabado)"
            r"|se le traba la lengua|(?:olvida|se le olvida|no recuerda) (?:donde esta|quien es"
            r"|su nombre|que dia es)",
            r"confundid\w*(?! (?:con|sobre|de que|por|en cuanto))|confus[ao]s?|confusion",
            r"desorientad\w*|delir\w*|alucin\w*|incoherent\w*",
            rf"(?:dice|habla|hablando|diciendo|dijo) {GAP1}(?:cosas |)(?:incoheren\w*|raro|raras"
            r"|cosas raras|tonterias|disparates|locuras|incongruencias)",
            r"(?:arrastra|arrastrando) (?:las |)palabras",
        ),
        negative=(
            rf"no (?:sabe|sabia) {GAP1}(?:donde|quien|en que|que dia|que fecha)",
            r"no se (?:donde|en donde) estoy|no se quien soy",
            r"no (?:me |nos |la |lo |los |)(?:reconoce|conoce)",
            r"no esta en (?:si|sus cabales)",
            rf"(?:dice|habla|hablando|diciendo|dijo|platica) {GAP2}(?:sin sentido"
            r"|que no tienen? sentido)",
        ),
    ),
}

ORINA = r"(?:orin\w*|pipi|pis|mead\w*|mear|meo)"
PESO = r"(?:de peso|peso|kilos?|kg|kgs|libras?|lbs?)"
BODY = (
    r"(?:piernas?|pies|pie|tobillos?|cara|manos?|parpados|ojos|panza|barriga|abdomen|vientre"
    r"|cuerpo|brazos?|dedos)"
)
HUESOS = (
    r"(?:huesos?|articulacion\w*|coyuntura\w*|rodillas?|caderas?|codos?|munecas?|hombros?"
    r"|nudillos)"
)

URGENT: dict[str, Phrases] = {
    "fever": Phrases(
        present=(
            r"fiebr\w*|febril\w*|febricula|calentur\w*|afiebrad\w*|acalenturad\w*|destemplad\w*",
            r"(?:tengo|tiene|tuve|tuvo|con|hay|tenia) (?:algo de |un poco de |poca |mucha |)"
            r"temperatura(?! (?:de |es |: |)[0-9])",
            rf"temperatura {GAP1}(?:alta|elevada|subio|sube)",
            r"(?:me siento|se siente|estoy|esta|siento|lo siento|la siento) (?:muy |algo "
            r"|un poco |)(?:caliente|calientito|calientita|hirviendo|ardiendo)",
        ),
        absent=(rf"temperatura {GAP1}(?:normal|bien)",),
    ),
    "chills": Phrases(
        present=(
            r"escalofri\w*|escalosfri\w*|calosfri\w*",
            r"tembl\w*|tirit\w*|tiemblo|tiembla",
            r"frio y calor|calor y frio",
            r"(?:tengo|tiene|siento|siente|con|me dan?|le dan?|me dio|le dio|me entra\w*"
            r"|le entra\w*) (?:mucho |muchos |unos |)frios?",
        ),
    ),
    "weight_gain": Phrases(
        present=(
            rf"(?:sub(?:i|io|e|ido|iendo|ir)|aument\w*|gan(?:e|o|ado|ando)|engord\w*) {GAP2}{PESO}",
            r"(?:[0-9]+(?:[.,][0-9]+)? |un |dos |tres |cuatro |cinco |unos |varios |)(?:kilos?|kg"
            r"|libras?|lbs?) (?:mas|de mas|arriba|en (?:un|1|dos|2|tres|3) dias?)",
            r"engord\w*|aumento de peso|subida de peso",
            rf"peso {GAP2}(?:subio|aumento|sube|mas alto|ha subido)",
        ),
        absent=(r"peso (?:esta |sigue |)(?:igual|estable|normal|bien)|mismo peso",),
    ),
    "swelling": Phrases(
        present=(
            r"h?inch(?:ad|az|ar|o|a|aron|ando|an|en|e|ada|ado)\w*",
            rf"{BODY} {GAP2}(?:inflamad\w*|abotagad\w*|gord[oa]s|grandes)",
            rf"inflam\w* {EL}{BODY}|{BODY} {GAP1}h?inch\w*",
            r"abotag\w*|edema|retencion de liquidos?|reten\w* liquidos?",
            rf"(?:liquido|agua) en {EL}{BODY}",
            rf"{BODY} {GAP1}como (?:globos?|pelotas?|tamales|bolas?)",
            rf"(?:zapatos|anillos?|calcetines|ropa|chanclas|sandalias|pantalones) {GAP2}"
            r"(?:aprietan|apretad\w*|chic\w*|pequen\w*)",
        ),
        negative=(
            rf"no {GAP1}(?:me |le |)(?:quedan|entran|cierran|caben) {EL}(?:zapatos|anillos?"
            r"|calcetines|ropa|chanclas|pantalones)",
        ),
    ),
    "dizziness": Phrases(
        present=(
            r"mare\w*|mari[ao]d\w*|vertigo|aturdid\w*|vahido|vaguid\w*|cabeza (?:ligera|liviana"
            r"|hueca)",
            rf"{ME} (?:nubla|nublo|oscurece|oscurecio|va|fue) {GAP1}(?:la |)vista",
            r"(?:todo |)(?:me |le |)dan? vueltas|todo (?:se |)(?:mueve|gira|balancea)",
            rf"(?:presion|tension|pa|ta) {GAP2}baj\w*|baj\w* (?:la |)(?:presion|tension)",
            r"hipotension|inestable|sin equilibrio|(?:pierdo|pierde|perdi|perdio) el equilibrio",
        ),
    ),
    "low_urine": Phrases(
        present=(
            rf"{ORINA} {GAP3}(?:poc[oa]|poquit\w*|menos|muy poc[oa]|casi nada|oscur\w*|cafe"
            r"|concentrad\w*|color te|color coca)",
            rf"(?:poc[oa]|poquit\w*|menos|casi nada de|escasa) {GAP1}(?:orina|pipi|pis)",
        ),
        negative=(
            r"(?:casi no|no|apenas|no he|no ha) (?:he |ha |me |le |puedo |puede |hago |hace |estoy "
            r"|esta |he estado |ha estado "
            r"|hecho |he ido a |ha ido a |fui a |voy a |va a |)(?:orin\w*|pipi|pis|mead\w*|mear|meo"
            r"|ido al bano)",
            r"(?:casi no|no|apenas) (?:voy|he ido|fui|va|ha ido|vamos|iba) al bano",
        ),
        absent=(rf"{ORINA} {GAP1}(?:bien|normal|normalmente)",),
    ),
    "cough": Phrases(
        present=(
            r"tos|tos(?:e|es|o|i|io|iendo|er|ecita|ido|a)|toc(?:e|er|io|iendo)|flema\w*|gargaj\w*",
        ),
    ),
}

SAME_DAY: dict[str, Phrases] = {
    "bone_pain": Phrases(
        present=(
            rf"dolor\w* {GAP2}(?:de|en) {EL}{HUESOS}",
            rf"{ME} {DUELE} {GAP2}{EL}{HUESOS}",
            rf"{HUESOS} {GAP2}(?:duel\w*|dolor\w*|adolorid\w*)",
        ),
    ),
    "rash": Phrases(
        present=(
            r"sarpul\w*|salpul\w*|ronch\w*|erupcion\w*|urticaria",
            rf"manch\w* {GAP2}(?:roj\w*|morad\w*|en la piel|en las piernas|en los brazos"
            r"|en el cuerpo|en la cara)",
            rf"(?:granitos|granos|puntitos|bolitas) {GAP2}(?:roj\w*|en la piel|en el cuerpo"
            r"|en los brazos|en las piernas)",
            rf"(?:piel|cuerpo) {GAP1}(?:enrojecid\w*|irritad\w*|con manchas|con granitos)",
            r"brote en la piel|me broto|me salio algo en la piel|me salieron (?:granitos|manchas)",
        ),
    ),
    "swollen_glands": Phrases(
        present=(
            rf"ganglio\w* {GAP2}(?:inflamad\w*|h?inchad\w*|grandes?|crecid\w*|dur\w*|abultad\w*)",
            rf"(?:inflam\w*|h?inch\w*) {GAP2}(?:los |)ganglio\w*",
            r"ganglios",
            rf"(?:bolitas?|bultos?|bolas?|pelotitas?|nodulos?|chipotes?) {GAP2}(?:en|del|de) {EL}"
            r"(?:cuello|axilas?|ingle\w*|sobaco\w*|garganta|mandibula)",
        ),
    ),
}

NONE = Phrases(
    present=(
        r"nada(?: nuevo| de eso| mas|)|cero",
        r"ningun[oa]?(?: de (?:esos|esas|estos|estas|ellos|ellas)|)",
        r"(?:no tengo |no hay |sin |no presento |)ningun\w* (?:sintomas?|problemas?|molestias?)",
        r"sin (?:sintomas?|novedad(?:es)?|problemas?|molestias?|cambios?|nada)",
        r"(?:no|sin) (?:tengo |hay |presento |tiene |)(?:ningun\w* |nuevos |)sintomas?",
        r"(?:muy |todo |super |)bien|normal|tranquil\w*|mejor|perfect\w*|excelente|estupend\w*",
        r"de maravilla|todo en orden|no tengo nada|no me duele nada|no siento nada",
    ),
)

COMPLAINT = Phrases(
    present=(
        r"(?:dolor|duele|duelen) de cabeza|(?:me|le) duele la cabeza|jaqueca|migrana",
        r"cansad\w*|cansancio|fatiga\w*|agotad\w*|agotamiento|debil\w*|sin fuerzas|sin energia",
        r"sueno|somnolient\w*|nausea\w*|asco|vomit\w*|devolv\w*|diarrea|estrenid\w*|estrenimiento",
        rf"(?:dolor|duele|ardor) de (?:garganta|estomago|panza|barriga|espalda|muelas|oidos?"
        rf"|piernas?|brazos?|cuerpo)|{ME} duel\w* {GAP2}{EL}(?:garganta|estomago|panza|barriga"
        r"|espalda|muelas?|oidos?|piernas?|brazos?|cuerpo|cabeza|pie|mano|ojos?)",
        r"dolor\w*|duel\w*|molesti\w*|malestar",
        rf"(?:me siento|se siente|estoy|esta|ando|anda) {GAP1}(?:mal|rar\w*|fatal|peor|enferm\w*"
        r"|decaid\w*|debil|malit\w*)",
        r"peor|enferm\w*|picazon|comezon|me pica|moreton\w*|sangr\w*",
        r"gripa|gripe|resfriad\w*|mocos|estornud\w*|congestion",
    ),
    negative=(
        r"no tengo hambre|sin hambre|sin apetito|no puedo dormir|no duermo|no he dormido",
        r"insomnio|no como|no puedo comer",
    ),
)
