"""English phrases for each sign, for "none" and for other complaints (see lexicon.py for the
normalised text they run on). Phrase families, not example lists: caregiver voice ("he",
"she", "my husband"), tense and word order vary inside each pattern."""

from __future__ import annotations

from monitor.domain.lexicon import GAP1, GAP2, GAP3, GAP4, WORD, Phrases

BREATH = r"(?:breath\w*|respir\w*)"
CANT = (
    r"(?:cant|canot|can not|could not|couldnt|unable to|not able to|can barely|can hardly"
    r"|could barely|barely|hardly|cant really|cant seem to|struggling to|struggle to"
    r"|no can|no could|can no|not can|no able to|no is able to"  # ESL: "she no can breathing"
    r"|(?:hasnt|havent|has not|have not|wasnt|was not|isnt|is not|not|werent|were not) (?:been |)"
    r"able to)"
)
# Voice dictation writes "breathe" as a real word that sounds like it.
MISHEARD_BREATHE = r"(?:breed|breeze|bread|brief|breeds)"
FINE = (
    r"(?:(?:is|feels|seems|has been|was|sounds|are|looks|seem) )?"
    r"(?:really |pretty |very |totally |completely |perfectly |)?"
    r"(?:fine|ok|okay|good|great|normal|normally|well|easy|clear|alright|unchanged"
    r"|back to normal|normal again)"
    r"(?! (?:until|till|til|unless|except|when|whenever|if|only)(?![a-z]))"  # "fine until I walk"
)
HURT = (
    r"(?:pain\w*|hurt\w*|ach\w*|sore\w*|tight\w*|pressure|heav\w*|discomfort|squeez\w*"
    r"|burn\w*|killing|crush\w*|stab\w*|sharp|weird|funny|strange|constrict\w*|pound\w*"
    r"|throb\w*|pinch\w*|spasm\w*|cramp\w*|uncomfortable)"
)
MY = r"(?:my |his |her |the |their |your |our |both |)"
# "Chest" that is not a chest-port, chest-line or chest-X-ray (leukaemia patients often have
# a port in the chest: "chest port site is sore" is not chest pain).
CHEST = r"chest(?! (?:port|line|tube|catheter|cath|drain|x ?ray|xray|scan|ct|hair))"

EMERGENCY: dict[str, Phrases] = {
    "breathing": Phrases(
        present=(
            rf"short(?:ness)? (?:of |o )?{BREATH}",
            r"s \. o \. b|s / o / b|sob|sobs",
            r"out of breath\w*",
            r"breathless\w*",
            r"winded",
            r"gasp\w*",
            r"wheez\w*",
            r"suffocat\w*|smother\w*",
            rf"{CANT} {GAP2}(?:talk|speak|finish|complete|say|get out|get through) {GAP3}"
            r"(?:sentences?|words?|talking)|(?:cant|canot|can not) lie (?:down |)flat",
            r"(?:stop\w*|paus\w*|gasp\w*|fight\w*|struggl\w*|hungry|desperate|reach\w*"
            r"|grasp\w*|gulp\w*|suck\w*|pull\w*|work\w*|beg\w*) (?:hard |)(?:for|to get) (?:some |)"
            r"(?:air|breath|oxygen)|gulp\w* (?:air|for air)",
            r"chok(?:e|es|ed|ing)",
            r"panting",
            r"huff\w* and puff\w*",
            r"air hunger",
            r"dyspn\w*|drowning|doe",
            # clinical words caregivers use (nurses in the family, discharge papers)
            r"orthopn\w*|tachypn\w*|pnd|paroxysmal nocturnal|hypox\w*|desat\w*"
            r"|(?:respiratory|resp) distress",
            r"(?:rr|resp(?:iratory)? rate|resps|respirations?|breaths? per min\w*|breathing rate)"
            r" (?:is |of |at |was |about |around |over |: |= |)(?:2[5-9]|[3-9][0-9])(?! ?%)",
            rf"throat {GAP2}(?:closing|closed|swelling shut|tight\w*)",
            rf"(?:need\w*|using|use|used|took|take|taking) {GAP2}inhaler"
            rf"|inhaler {GAP2}(?:more|a lot|lots|again|constantly|all day)",
            rf"(?:trouble|troubles|difficulty|difficulties|problems?|issues?|hard time|struggl\w*"
            rf"|fighting|working hard|work hard|labou?r\w*|effort) {GAP2}(?:{BREATH}|air"
            r"|getting air)",
            rf"(?:hard|difficult|tough|harder|impossible|painful|a struggle|struggle|an effort"
            rf"|work) (?:to|for {GAP1}to) {GAP3}(?:{BREATH}|air)",
            rf"{BREATH} {GAP2}(?:hard|harder|difficult\w*|labou?r\w*|fast|faster|rapid\w*|quick"
            r"|shallow|heavy|heavier|worse|tough|short|shorter|noisy|weird|funny|strange|off|bad"
            r"|terrible|awful|rough|tight|raspy|a struggle|an effort|better|easier|different"
            r"|problems?|issues?|trouble)",
            # Breathing mentioned without "fine"/"ok": when in doubt, escalate.
            # (not the idioms "holding my breath for the results", "took my breath away")
            rf"(?<!hold my )(?<!holding my )(?<!held my )(?<!hold your )(?<!under my )"
            rf"(?:breathing|(?<!bad )(?<!fresh )(?<!morning )breath(?:e|es|s|))"
            rf"(?! (?:smel\w*|stinks?|mints?|fresh\w*|(?:through|thru|out of) {MY}nose|away"
            r"|exercises?))",
            rf"short (?:of |)(?:{MISHEARD_BREATHE}|breth|breat)",
            r"asthma attack|(?:cant|can not|canot|lost|losing|lose|no|get) (?:my |his |her |)wind"
            r"|short[ -]?winded|hyperventilat\w*|breathles\w*",
            r"catch(?:ing)? (?:my|his|her|their|a|your|our) breath",
            rf"(?:sit|sitting|prop\w*) up to {BREATH}",
            rf"oxygen {GAP1}(?:low|dropp\w*|down|going down)|low oxygen"
            r"|(?:needs?|needing|using|use) (?:more |extra )?oxygen",
            rf"lungs? {GAP2}(?:hurt\w*|pain\w*|tight\w*|heavy|full|burn\w*|congest\w*)",
            rf"fluid (?:in|on) {MY}lungs?",
        ),
        negative=(
            rf"{CANT} {GAP3}(?:{BREATH}|air|lungs?|oxygen)(?! (?:through|thru|out of) {MY}nose)",
            rf"{CANT} {GAP1}{MISHEARD_BREATHE}",
            r"air (?:wont|will not|doesnt|does not|cant|isnt|is not) (?:go|get|going|getting|come)"
            r" (?:in|through)",
            r"(?:not|isnt|is not|wasnt|stopped|stops|stop) breathing",
            r"not (?:getting )?(?:enough )?(?:air|oxygen)|no air",
            rf"{BREATH} (?:is |isnt |feels |)not (?:good|great|right|normal|ok|okay|well|easy)",
            rf"{BREATH} (?:is not|isnt|aint|not|doesnt feel|does not feel|hasnt been|has not been"
            r"|wasnt|was not|not feeling) (?:so |very |that |too |any |much |)(?:good|great|right"
            r"|normal|ok|okay|well|easy|easier|better|improv\w*)",
        ),
        absent=(
            rf"{BREATH} {FINE}",
            r"(?:breathing|breathe|breath) (?:normal|normally|easy|easily|fine|ok|well)",
            rf"{BREATH} (?:without|with no) (?:any |)(?:problems?|trouble|issues?|difficulty)",
        ),
    ),
    "chest_pain": Phrases(
        present=(
            rf"{CHEST} {GAP4}{HURT}",
            rf"chest (?:feels|felt|is|was|feeling) (?:\w+ |)like|(?:vise|vice|clamp) {GAP2}chest",
            r"(?:tight\w*|heavy|heavi\w*|sore|painful|aching|achy|burning|crushing|sharp|pressure"
            r"|uncomfortable)"
            r" (?:\w+ )?chest(?:ed)?",
            rf"{HURT} {GAP4}(?:in|on|across|around|at|of|under|behind|through) {MY}(?:\w+ )?"
            r"(?:chest|breast ?bone|sternum)",
            r"heart attack",
            rf"(?:wrong|not right|off|funny|weird|strange|odd) (?:with|in) {MY}chest",
            rf"(?:elephant|weight|band|belt|vise|vice|strap|rope|something|brick) {GAP2}"
            rf"(?:on|around|in|across) {MY}(?:chest|ribs|rib cage|ribcage|torso)",
            # the same pressure without the word "chest": "feels like someone is standing on me"
            r"(?:someone|somebody|something|an elephant|a truck|a brick|bricks|a ton of bricks"
            r"|a weight|a car|a horse|a cow|an anvil|a rock|a boulder) (?:heavy |)(?:is |was "
            r"|were |keeps |)(?:sitting|standing|stepping|pressing|pushing|squeezing|crushing"
            r"|laying|lying|sat|stood|parked) (?:on top of|on|against|down on) me",
            rf"(?:sitting|standing|stepping|pressing|pushing|squeezing|crushing|laying|lying|sat|stood)"
            rf" (?:on|against|down on) {MY}chest",
            rf"(?:squeez\w*|crush\w*|press\w*|push\w*|grip\w*|clench\w*|grab\w*|stab\w*) {GAP1}"
            rf"{MY}chest",
            rf"{CHEST} (?:\w+ )?and (?:it |)(?:hurts|aches|burns)",
            r"cp|c / p|c \. p",
            rf"heart(?! burn) {GAP3}(?:hurt\w*|pain\w*|ach\w*|squeez\w*|tight\w*|crush\w*|clench\w*"
            r"|pressure|heavy|burn\w*|stab\w*)",
            r"angina",
            rf"(?:{HURT}|painful) {GAP3}(?:to|when|while|if|as)"
            rf" {GAP2}(?:{BREATH}|inhal\w*|take (?:a |in )?(?:deep |big |full )?breath)",
            rf"(?:breathing|breath|breaths|inhaling) {GAP1}(?:hurts|is painful|painful|pain)",
            rf"(?:breast ?bone|sternum|ribcage) {GAP2}{HURT}",
        ),
        absent=(rf"chest {FINE}",),
    ),
    "fainting": Phrases(
        present=(
            r"pass(?:ed|es|ing)? out(?! (?:the |some |)(?:flyers?|fliers?|papers?|candy"
            r"|invitations?"
            r"|cards?|food|forms?|snacks?|cookies|programs?|tickets?|samples?|leaflets?|pamphlets?"
            r"|brochures?|gifts?|presents?|copies|handouts?|treats|bulletins?))",
            r"(?:fall|falls|falling|fallen|fel{2}) (?:into a |in a |down |)faint\w*",
            r"everything (?:went|goes|going|turned|turns) (?:black|dark)|lights? went out",
            rf"found (?:him|her|them|my \w+|mom|dad) {GAP2}(?:on the (?:floor|ground)|passed out"
            r"|unconscious|unresponsive|collapsed|down)",
            r"(?:whole body|arms? and legs?|legs? and arms?) "
            r"(?:was |were |is |are |kept |started |)"
            r"(?:jerk\w*|twitch\w*|shak\w*|convuls\w*)|jerking (?:all over|uncontrol\w*)",
            r"black(?:ed|ing|s)? out|blackouts?",
            r"faint(?:ed|ing|s)|faint spells?",
            r"(?:about to|going to|gonna|almost|nearly|like i (?:will|might|could)) faint",
            r"collaps\w*",
            r"(?:lost|lose|losing|loss of) consciousness",
            r"unconscious|unresponsive|loc (?:x ?[0-9]|[0-9]|twice|once|for)",
            r"keel\w* over|went limp|syncop\w*|out cold|knocked out|out like a light",
            r"(?:was|been|were) out (?:for )?(?:a |about |like |almost |nearly |maybe |a few "
            r"|[0-9]+ |)(?:minute|minutes|min|mins|second|seconds|secs|moment)",
            rf"(?:fel{{2}}|fall|falls|falling|dropped|went down|hit (?:his|her|my) head)(?! asleep)"
            rf" (?:(?:{WORD}){{1,4}}?(?:and |)|and )(?:was |is |)(?:out|unconscious|limp)"
            r"(?! of)",
            r"seizures?(?! (?:meds|medications?|medicines?|pills|precautions))|seizing|convuls\w*"
            r"|epilep\w*(?! (?:meds|medications?|medicines?|pills))"
            r"|(?:went|goes|going|is|got) (?:all |)stiff and (?:shak\w*|jerk\w*)"
            r"|(?:had|having|has|have) (?:a |another |)fits?(?! of)",
            r"did faint",
        ),
        negative=(
            # someone else who cannot stay awake (a patient who writes is awake)
            r"(?:keeps?|kept|keeping) (?:nodding|dozing|drifting|falling asleep|passing)(?: off|)"
            r" (?:mid|in the middle of|while|during) (?:a |)(?:sentence|conversation|talking|eating"
            r"|meals?)",
            rf"(?:he|she|hes|shes|they|mom|dad|him|her) {GAP3}(?:and |)(?:cant|can not|canot"
            r"|couldnt|wont|unable to|not able to|struggling to) (?:stay|keep (?:his|her|their)"
            r" eyes) (?:awake|open)",
            r"(?:hard|difficult|impossible|trouble|cant|canot|can not|could not|couldnt|unable)"
            r" (?:to |)(?:wake|rouse|waking|get) (?:him|her|them|my \w+|mom|dad)",
            r"(?<!i )(?:wont|will not|would not|wouldnt|didnt|did not|doesnt|does not|isnt|is not"
            r"|not|hasnt|has not|cant|canot|can not|couldnt|could not|hard to|difficult to"
            r"|trouble) (?:\w+ |)(?:wake|waking|woke|woken|rouse|rousing)(?! (?:up |)(?:until|till"
            r"|til|early|on time|in time|before|at|this morning|today"
            r"|for(?! (?:a|about|like|almost|nearly|several|some|[0-9]+) )))",
            rf"(?:pass\w* out|faint\w*|black\w* out|collaps\w*) {GAP3}(?:, |)(?:but |)"
            r"(?:i |he |she |they |it |)(?:almost|nearly|came close|close to it|just about"
            r"|felt like)",
            r"(?:didnt|did not|doesnt|does not|wont|not|isnt|no|wasnt|was not|werent|stopped"
            r"|hasnt been|has not been|not really) (?:respond\w*|responsive)"
            r"(?! to (?:my |the |)(?:texts?|calls?|messages?|phone|emails?|treatment|meds"
            r"|medication|medicine|antibiotics|chemo|drugs?))",
        ),
        absent=(r"(?:didnt|did not|never|havent|hasnt|have not|has not) faint(?:ed|)",),
    ),
    "blue_lips": Phrases(
        present=(
            rf"(?:lips?|fingers?|fingertips|finger tips|nails?|fingernails|face|skin|mouth|toes?)"
            rf" {GAP3}(?:blu\w*|purpl\w*|grey|gray|dusky)",
            rf"(?:blu\w*|purpl\w*|dusky|grey|gray) {GAP2}(?:lips?|fingers?|nails?|mouth)"
            r"(?! (?:polish|paint\w*|varnish|art))",
            r"(?:hes|shes|is|are|im|turn\w*|went|gone|going|look\w*|seems) (?:all |kind of |kinda "
            r"|a bit |a little |very |really |)(?:blue|bluish|purple|purplish|gray|grey|dusky)",
            r"cyano\w*",
        ),
    ),
    "coughing_blood": Phrases(
        present=(
            r"(?:cough\w*|spit\w*|spat|hack\w*|bring\w* up|brought up|throw\w* up|threw up"
            rf"|vomit\w*|puk\w*) (?:and |with |){GAP4}blood\w*",
            r"(?:cough\w*|spit\w*|spat|hack\w*|bring\w* up|brought up) (?:up |out |)"
            r"(?:some |a little "
            r"|a bit of |)(?:pink|pinkish|red|redish|bright red|rusty|bloody) (?:frothy |foamy |)"
            r"(?:stuff|things?|gunk|mucus|spit|phlegm|sputum|liquid|streaks?|specks?|foam)",
            r"(?:pink|pinkish|bloody|red|redish|rusty|blood tinged|blood streaked) "
            r"(?:frothy |foamy |)"
            r"(?:sputum"
            r"|phlegm|spit|mucus|saliva)",
            rf"blood\w* {GAP4}(?:cough\w*|phlegm|sputum|mucus|spit\w*|vomit\w*|threw up|throw\w* up"
            r"|puk\w*|sick)",
            r"coffee grounds?",
            r"h(?:a)?emoptysis",
            r"(?:cough\w*|spit\w*|vomit\w*|threw up|throw\w* up|puk\w*|bring\w* up|brought up)"
            r" (?:up |out |)(?:some |a few |big |small |little |)(?:blood |)clots?",
        ),
    ),
    "confusion": Phrases(
        present=(
            r"confus(?:ed|ion)(?! (?:about|by|with|on|what|which|how|why|if|as|over|regarding"
            r"|because|at|whether|when|where|is))",
            r"disori\w*|delirious|delirium|hallucinat\w*|mumbl\w*",
            r"ams|altered (?:mental (?:status|state)|mentation|consciousness)"
            r"|mental status change\w*",
            rf"(?:talking|saying|speaking|talks|says) {GAP1}(?:nonsense|gibberish|jibberish"
            r"|crazy things|weird things|strange things|funny things)",
            r"acting (?:\w+ )?(?:strange\w*|weird\w*|odd\w*|funny|confused|crazy|different|off)",
            r"slur\w* (?:speech|words|his|her|my)|speech (?:is )?slur\w*",
            r"out of (?:his|her|their) mind|seeing things|stroke",
            r"(?:asking|asks|asked|saying|says|repeating) (?:the same|the same thing"
            r"|the same question|himself|herself)(?: \w+|) (?:over and over|again and again"
            r"|every few minutes)|repeating (?:himself|herself)",
            r"(?:hes|shes|he is|she is|he seems|she seems|seems|looks|look|seem) "
            r"(?:so |very |all |)lost(?! (?:in|weight|his|her|my|\w+ (?:pounds|kilos|lbs)))",
            r"(?:talking|speaking|talks) (?:weird\w*|strange\w*|funny|crazy|odd\w*|slurred)",
            r"(?:hes|shes|he is|she is|he seems|she seems|seems) (?:\w+ |)out of it",
            r"(?:hes|shes|he is|she is|seems|im|i am|getting) (?:all |very |really |so |a bit |)"
            r"mixed up",
        ),
        negative=(
            r"(?:forget\w*|forgot) (?:where (?:he|she|they|i) (?:is|are|am|was)|who (?:he|she|i|we"
            r"|they) (?:is|am|are)|what (?:day|year|month) it is|(?:his|her|my) (?:own )?name)",
            r"(?:doesnt|does not|didnt|did not|cant|canot|can not|dont|do not) (?:seem to "
            r"|appear to |)(?:know|recogni[sz]e"
            r"|remember) (?:where (?:he|she|they|i) (?:is|are|am|was)|who (?:he|she|i|we|they)"
            r" (?:is|am|are)|what (?:day|year|time) it is|me|us|anyone|anybody"
            r"|(?:his|her) (?:own )?(?:name|family|wife|husband|kids|children)|family)",
            r"(?:not|isnt|wasnt|hasnt|havent|aint|arent|werent|is not|was not|has not|have not)"
            r" (?:\w+ ){0,2}?(?:himself|herself|making (?:any )?sense|acting right"
            r"|thinking (?:clearly|straight)|all there)",
            rf"(?:he|she|they|talking|words|speech|sentences|things|says|said) {GAP2}"
            r"(?:doesnt|does not|dont|do not|didnt) make (?:any )?sense",
            # said of a person, not of a message ("your text doesn't make sense to me")
            r"(?<!this )(?<!that )(?<!it )(?<!message )(?<!text )(?<!question )(?<!menu )"
            r"(?<!instructions )(?<!list )(?:doesnt|does not|dont|do not|didnt|isnt|is not|wasnt"
            r"|not) (?:make|making|makes) (?:any |much |)sense(?! (?:to (?:me|us|him|her)|of))",
        ),
    ),
}

PEE = r"(?:pee|peeing|peed|pees|urin\w*|pissing|voiding)"
LESS = (
    r"(?:less|lesser|little|very little|barely|hardly|not (?:very |that |)much|much less"
    r"|a lot less|way less"
    r"|only once|once|twice|one time|dark\w*|brown|tea|cola|coke|concentrated|decreas\w*"
    r"|reduc\w*|low|small amounts?|drops?|dribbl\w*|trickl\w*|scant\w*|infrequent\w*"
    r"|(?:the )?colou?r of (?:tea|cola|coke|coffee))"
)
WEIGHT_UNIT = r"(?:kg|kgs|kilos?|kilograms?|lbs?|pounds?)"
AMOUNT = (
    r"(?:[0-9]+(?:[.,][0-9]+)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
    r"|fifteen|twenty|a few|a couple(?: of)?|several|some|a|an extra)"
)

URGENT: dict[str, Phrases] = {
    "fever": Phrases(
        present=(
            r"fever\w*|fevr|febrile",
            r"(?:running|run|have|has|had|got|with|spiking|spiked|spike) (?:a |an )?(?:high |low "
            r"|slight |little |elevated |)temp(?:erature)?s?(?! (?:of |is |was |: )?[0-9])",
            r"(?:high|elevated|raised) (?:temp\w*|fever)",
            rf"temp\w* {GAP1}(?:high|up|elevated|spik\w*|rising|climbing|going up|went up)",
            r"burning up|(?:hot|warm|burning) to (?:the |)touch",
            r"(?:feel\w*|felt|is|im|am|hes|shes|running) (?:very |really |so |a bit |a little "
            r"|kinda |kind of |)(?:hot|warm|feverish)",
        ),
        absent=(r"afebrile", rf"temp\w* {GAP1}(?:normal|fine|ok|good)"),
    ),
    "chills": Phrases(
        present=(
            r"chills|chilly|a chill",
            r"shiver\w*|rigou?rs|the shakes|shakes|shaking (?:chills|all over|uncontrol\w*)",
            r"hot and cold|cold and hot|hot then cold|cold then hot",
            r"teeth (?:are )?chatter\w*",
            rf"(?:shaking|trembl\w*|shivering) {GAP1}cold|cold sweats?",
            r"(?:feel|feels|felt|feeling|im|i am|hes|shes|is) (?:so |very |really |)"
            r"(?:cold|freezing)",
            r"(?:freezing|cold) and (?:shak\w*|trembl\w*)"
            r"|(?:shak\w*|trembl\w*) and (?:freezing|cold)",
        ),
        negative=(r"(?:cant|canot|can not|could not|couldnt) (?:get|stay|keep) warm",),
    ),
    "weight_gain": Phrases(
        present=(
            rf"(?:gain\w*|put on|putting on|packed on|piled on) {GAP2}(?:weight|{WEIGHT_UNIT})",
            r"weight gain",
            rf"weight {GAP2}(?:up|gain\w*|increas\w*|went up|going up|jump\w*|higher|rising|rose"
            r"|spik\w*|climb\w*)",
            rf"up (?:about |almost |over |nearly |like |around |)(?:{AMOUNT} |){WEIGHT_UNIT}",
            r"heavier|gaining",
            rf"(?:{AMOUNT} |){WEIGHT_UNIT} (?:more|heavier|up|extra|in (?:a|one|1|two|2|three|3)"
            r" (?:day|days|night))",
        ),
        absent=(
            r"weight (?:is |has been |was |seems |)(?:still |)(?:the same|same|stable|steady"
            r"|unchanged|normal|ok|fine|good|down|lower|no change)",
        ),
    ),
    "swelling": Phrases(
        present=(
            r"swoll\w*|swell\w*",
            r"puff(?:y|ed|iness|ing)\w*",
            r"o?edema\w*",
            rf"(?:fluid|water) (?:in|on) {MY}(?:legs?|ankles?|feet|belly|abdomen|stomach|body)",
            r"fluid (?:retention|build ?up)|retain\w* (?:fluid|water)|water retention"
            r"|holding (?:fluid|water)",
            rf"(?:shoes?|rings?|socks?|pants|clothes|watch|boots|slippers) {GAP2}(?:too |so |)"
            r"(?:tight|snug|small)",
            rf"(?:legs?|ankles?|feet|foot|face|hands?|fingers|belly|abdomen|tummy) {GAP2}(?:bigger"
            r"|big|huge|fat|fatter|larger|tight|puffed|ballooned|like balloons)",
        ),
        negative=(
            rf"(?:shoes?|rings?|socks|pants|clothes|boots|slippers) {GAP2}(?:dont|do not|doesnt"
            rf"|does not|wont|will not|cant|arent|not|no longer) {GAP1}(?:fit|go on|close"
            r"|come off)",
            rf"(?:cant|canot|can not|could not) (?:get|put) {GAP1}(?:shoes?|rings?|socks)"
            r" (?:on|off)",
        ),
    ),
    "dizziness": Phrases(
        present=(
            r"dizz\w*|dizi\w*",
            r"light ?(?:- )?head\w*",
            r"woozy|vertigo|unsteady|off balance|wobbly|unbalanced|spinny",
            rf"(?:room|head|world|everything|things) {GAP2}(?:spin\w*|swim\w*|whirl\w*)",
            r"(?:feel\w*|felt|im|am|is|hes|shes|get\w*|got|go|went|bit|little|very|so|and) faint"
            r"(?!ed|ing)|faintnes\w*|faintish",
            r"(?:low|dropp\w*|dropped) (?:blood )?pressure|low bp|hypotens\w*",
            rf"(?:blood )?pressure {GAP2}(?:low|dropp\w*|down|tanked)",
            rf"bp {GAP1}(?:low|dropp\w*|down)",
            r"(?:los\w*|lost) (?:my |his |her |)balance|see(?:ing)? stars",
            r"(?:vision|sight|eyes) (?:went|goes|going|turned|turns) (?:black|dark|gray|grey|blury)"
            r"|everything (?:went|goes|going|turned|turns) (?:gray|grey|blury)",
        ),
    ),
    "low_urine": Phrases(
        present=(
            rf"{PEE} {GAP3}{LESS}",
            r"oligur\w*|anur\w*",
            rf"(?:barely|hardly|less|little|dark\w*|decreas\w*|reduc\w*|low|brown|very little"
            rf"|hardly any|scant\w*|concentrated) {GAP1}{PEE}",
            rf"(?:only|just) (?:peed|urinated|went|gone|been) {GAP2}(?:once|twice|one time"
            r"|a little)",
        ),
        negative=(
            r"(?:not|havent|hasnt|have not|has not|didnt|did not|cant|canot|can not|couldnt"
            r"|unable to|no|not able to) (?:been |really |able to |had to |needed to |need to "
            r"|felt the need to |)(?:pee|peed|peeing|urinat\w*"
            r"|pissing|go pee|gone pee)",
            r"no (?:urine|pee)",
            rf"not (?:much|a lot|enough|any|very much) {GAP1}{PEE}",
            r"(?:barely|hardly|rarely|not|havent|hasnt|didnt) (?:been |)(?:going|gone|been|go|went)"
            r" (?:to the |)(?:bathroom|toilet|restroom|loo)",
        ),
        absent=(
            rf"{PEE} (?:is |has been |)(?:normal|normally|fine|ok|good|regular|same|well|enough)",
        ),
    ),
    "cough": Phrases(
        present=(
            r"c[ao]ugh\w*(?! (?:drops?|syrup|medicine|meds|suppressant|lozenges?))|hacking",
            r"(?:bringing|brought|coughing) up (?:phlegm|mucus|sputum|stuff|gunk)",
            r"phlegm|mucus|sputum|chesty|chest congestion|congested chest",
        ),
    ),
}

SAME_DAY: dict[str, Phrases] = {
    "bone_pain": Phrases(
        present=(
            rf"(?:bones?|joints?|knees?|hips?|elbows?|wrists?|shoulders?|knuckles) {GAP3}"
            r"(?:pain\w*|hurt\w*|ach\w*|sore\w*|throb\w*|stiff\w*|killing)",
            rf"(?:pain\w*|ach\w*|aching|hurt\w*|sore\w*) {GAP3}(?:in|of) (?:my |his |her |the "
            r"|all (?:my )?|)(?:bones?|joints?|knees?|hips?)",
            r"(?:achy|aching|sore|painful|stiff|swollen) (?:\w+ )?(?:bones|joints)",
        ),
    ),
    "rash": Phrases(
        present=(
            r"rash\w*|hives|welts|petechia\w*",
            rf"(?:red|purple|purplish|pink|itchy|raised|tiny|little|small|dark|blood) {GAP1}"
            r"(?:spots|dots|bumps|blotches|patches|pinpoints)",
            rf"(?:spots|bumps|dots|blotches|welts|pimples|blisters|marks|patches) {GAP2}(?:on|all"
            rf" over|over) {MY}(?:skin|legs?|arms?|body|face|chest|back|belly|stomach|neck|hands?"
            r"|feet)",
            r"(?:breaking|broke|broken) out",
            rf"skin {GAP1}(?:red|blotchy|peeling|bumpy)",
        ),
    ),
    "swollen_glands": Phrases(
        present=(
            rf"(?:swoll\w*|swell\w*|enlarg\w*|big|bigger|tender|puff\w*|sore|hard|painful|raised)"
            rf" {GAP1}(?:glands?|lymph ?nodes?|nodes?|lymph)",
            rf"(?:glands?|lymph ?nodes?|nodes) {GAP4}(?:swoll\w*|swell\w*|enlarg\w*|up|big|bigger"
            r"|puff\w*|tender|sore|hard|raised)",
            rf"(?:lumps?|bumps?|knots?|balls?) {GAP2}(?:in|on|under|behind) {MY}(?:neck|armpits?"
            r"|arm pits?|groin|jaw|throat|collarbone|ears?)",
            r"(?:neck|armpit|groin) (?:lumps?|bumps?)",
            rf"(?:lumps?|bumps?|knots?|balls?) {GAP1}under {MY}arms?",
        ),
    ),
}

# "None of these": counts only when no sign and no other complaint is found.
NONE = Phrases(
    present=(
        r"none|nothing|zero",
        r"no to (?:all|everything|any|both|al)|all no|nope to all",
        r"no (?:new |other |)(?:symptoms?|problems?|complaints?|issues?|changes?|concerns?"
        r"|worries|news)",
        r"(?:fine|ok|okay|okey|k|alright|all right|normal|better|grand|excellent|awesome"
        r"|perfect|wonderful|fantastic|terrific|stable|same old|great)",
        r"good(?! (?:morning|afternoon|evening|night|day))",
        r"(?:doing|feel\w*|felt|is|am|are|be|very|pretty|going|all|its|im) well",
        r"all (?:good|fine|ok|okay|well|normal|clear|great)",
    ),
)

# Symptoms and troubles that are not on the menu: a reply naming one is not "none".
COMPLAINT = Phrases(
    present=(
        r"head ?ache\w*|migraine\w*|head (?:hurts|is pounding|pain)",
        r"tired\w*|fatigu\w*|exhaust\w*|worn out|wiped out|drained|lethargic|sleepy|drowsy",
        r"weak\w*|sluggish|low energy",
        r"nause\w*|queasy|sick to (?:my|his|her) stomach|threw up|throw\w* up|vomit\w*|puk\w*",
        r"diarr?h\w*|diarea|loose stools?|the runs|constipat\w*",
        rf"(?:sore|scratchy) throat|throat {GAP1}(?:hurts|sore|pain\w*)",
        rf"pain\w*|hurt\w*|ach(?:e|es|ing|y)|sore\w*|cramp\w*|upset stomach|stomach {GAP1}upset",
        r"heart ?burn|indigestion|reflux|nose ?bleed\w*|bleed\w*|bruis\w*|itch\w*",
        r"mouth sores?|ulcers?|thrush|numb\w*|tingl\w*|blurr\w*",
        r"palpitation\w*|(?:heart|pulse) (?:is )?(?:racing|pounding|fluttering|skipping)",
        r"sweat\w*|hot flash\w*|anxi\w*|depress\w*|scared|worried|nervous|worse",
        r"(?:feel\w*|felt|im|am) (?:\w+ )?(?:off|bad|awful|terrible|sick|unwell|lousy|crappy"
        r"|rough|weird|funny|strange|horrible|miserable|like crap)",
        r"unwell|ill|sick|runny nose|stuffy|sneez\w*|a cold|the flu|flu",
    ),
    negative=(
        r"(?:cant|canot|can not|couldnt|trouble|not) (?:sleep\w*|eat\w*)|insomnia",
        r"no appetite|not hungry|lost (?:my |his |her |)appetite|poor appetite",
        r"cant keep (?:anything|food) down",
    ),
)
