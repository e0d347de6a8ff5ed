"""Risk phrases: what a clinician would want flagged, and the idioms that only sound like it.

Patterns are regular expressions over normalised text (lower case, apostrophes and
punctuation flattened, see :func:`rapport.risk.rules.normalise`), so transcripts written as
speech recognisers write them (no capitals, no punctuation) match the same. They are
project-written from the codebook (``data/risk/codebook.md``) and clinical guidance on
how suicidal and abuse disclosures are phrased (direct, euphemistic, minimised); a pattern
is a lead for the learned model and the reader, never a verdict on its own.
"""

from __future__ import annotations

# Building blocks -------------------------------------------------------------------------
ME = r"(?:my ?self|meself|mesel|myseln?)"
# what people call the end of their life
END_LIFE = (r"\b(?:end(?:ing)? (?:it all|my life|everything|my own life|it for good)|"
            r"take my (?:own )?life|taking my (?:own )?life|kill(?:ing|ed)? " + ME + r"|"
            r"top(?:ping)? " + ME + r"|unalive " + ME + r"|off(?:ing)? " + ME + r"|"
            r"do " + ME + r" in|commit(?:ting)? suicide|suicide)")
PILLS = (r"(?:pills?|tablets?|meds|medication|paracetamol|tylenol|panadol|codeine|insulin|"
         r"sleeping (?:pills|tablets)|antidepressants|painkillers|co-?codamol|aspirin)")

#: ``code -> [(name, pattern)]``. Names become evidence ("matched 'better off without me'").
PATTERNS: dict[str, list[tuple[str, str]]] = {
    "risk_suicidal_ideation": [
        ("end_life", END_LIFE),
        ("suicidal", r"\bsuicidal\b|\bsuicide\b"),
        ("want_to_die", (r"\b(?:want(?:ed)?|wanna|wanting|wish(?:ed)?|ready|prefer|rather)"
                        r" (?:to )?(?:just )?(?:die|be dead|not be (?:alive|here|around))\b")),
        ("wish_dead", (r"\bwish(?:ed)? (?:i|id) (?:was|were|had) (?:never been born|dead|"
                      r"not been born|died|gone)")),
        ("not_wake_up", (r"\b(?:not|never|don t|didn t|wouldn t) (?:want to |wanna )?wake up\b|"
                        r"\bgo to sleep and (?:not|never)\b|sleep (?:forever|and not)")),
        ("not_be_here", (r"\b(?:don t|do not|didn t|not) (?:want|wanna|wanting) (?:to )?"
                        r"(?:be (?:here|alive|around)|live|exist|go on|carry on|keep going)"
                        r"(?: anymore| any more)?\b(?! (?:people|them|him|her|anyone|anybody|"
                        r"with|like|at|in|to|for|the|this|that|here|there)\b)")),
        ("not_here_anymore", (r"\b(?:if i|when i m|once i m|if i just) (?:wasn t|weren t|"
                             r"was not|were not|am not|m not|was|were) (?:here|around|"
                             r"alive)(?: anymore| any more)?\b")),
        ("better_off_they", (r"\b(?:everyone|everybody|they|they d|the kids|my kids|my family|"
                            r"the family|the world|people|you all|yous|y all) (?:would|d|will|"
                            r"ll|would all|d all|would just|d just)? ?be (?:much |so |a lot )?"
                            r"better off\b(?! (?:with|after|if (?:i|we) (?:get|got|stop|quit|"
                            r"cut|moved?|change)))")),
        ("better_off", (r"\bbetter off (?:without me|if i (?:wasn t|weren t|was gone|were "
                       r"gone|died|was dead|wasn t here|weren t around|just)|with me gone|"
                       r"dead|if i (?:was|were) (?:gone|dead))")),
        ("burden", (r"\b(?:i m|i am|im|being) (?:just )?(?:a|such a) burden\b|burden (?:to|on) "
                   r"(?:everyone|every one|them|you|my)")),
        ("no_point_living", (r"\b(?:no|not much|what s the|whats the|what is the|there s no) "
                            r"(?:point|reason) (?:in |of )?(?:living|being alive|being here|"
                            r"going on|carrying on|life|me being here|existing|to live|it all|"
                            r"in anything|anymore)")),
        ("nothing_to_live", (r"\bnothing (?:left )?to live for\b|life (?:isn t|is not|ain t) "
                            r"worth (?:living|it)|not worth living")),
        ("disappear", (r"\bi (?:just |really )?(?:want to|wanna|wish i could|could just|d "
                      r"like to) (?:just )?(?:disappear|vanish|fade away|not exist)\b")),
        ("thoughts_of_death", (r"\bthoughts? (?:of|about) (?:dying|death|being dead|ending|"
                              r"not being here|killing)")),
        ("drive_into", (r"\b(?:drive|driving|drove|swerve|swerving|crash|crashing) (?:the "
                       r"car )?(?:into|off|in front of) (?:a |the )?(?:wall|tree|bridge|cliff|"
                       r"traffic|lorry|truck|barrier|oncoming|river|motorway)")),
        ("step_in_front", (r"\b(?:step|stepping|walk|walking|jump|jumping|throw (?:my ?self|"
                          r"meself)) in front of (?:a |the )?(?:train|bus|lorry|truck|car|"
                          r"tram|traffic)")),
        ("jump_from", (r"\bjump(?:ing)? (?:off|from) (?:a |the |that )?(?:bridge|building|"
                      r"roof|cliff|balcony|car park|multi storey|tower|block|flats)")),
        ("want_it_to_stop", (r"\b(?:want|wanna|wanted|just want) (?:it all|everything|all of it|"
                            r"it|the pain|life|things) to (?:stop|end|be over)\b")),
        ("cant_go_on", (r"\bcan t (?:go on|keep going|carry on|do this) (?:any ?more|like this)"
                       r"\b.*\b(?:die|dead|end|gone|here|point|living)|\bdone with (?:life|"
                       r"living|it all)\b")),
        ("be_gone", (r"\b(?:be|being) gone (?:for good|forever)|\bnot be here much longer\b|"
                    r"\bwon t be (?:here|around) (?:much longer|for long|next)")),
        ("unalive", r"\bunalive\b|\bkms\b|\bsewerslide\b"),
        ("hang", r"\bhang(?:ing)? " + ME + r"|\bhanged " + ME),
        ("join_dead", (r"\b(?:be|join|see) (?:with )?(?:my |our )?(?:mum|mom|dad|nan|gran|"
                      r"husband|wife|son|daughter|baby|brother|sister) again\b.*\b(?:die|dead|"
                      r"soon|gone|heaven)|\bjoin (?:him|her|them) (?:up there|soon)")),
    ],
    "risk_suicide_plan": [
        ("looked_up_means", r"\b(?:look(?:ed|ing)? up|google(?:d)?|search(?:ed|ing)? (?:for)?|"
                            r"research(?:ed|ing)?) (?:the )?(?:" + PILLS + r"|ways|methods|"
                            r"overdoses?|lethal|doses?|bridges|ropes?|knots?)\b"),
        ("how_to", (r"\b(?:look(?:ed|ing)? up|google(?:d)?|search(?:ed|ing)?|research(?:ed|"
                   r"ing)?|read up on|worked out|figured out) (?:how|exactly how) (?:many|much|"
                   r"i d|i would|it would take|long it|to (?:do it|end|kill|die|hang|overdose))")),
        ("how_id_do_it", (r"\bhow i (?:d|would|could|might|m going to|am going to) (?:do it|"
                         r"end it|go|kill|finish)")),
        ("plan", (r"\b(?:made|make|got|have|had|i ve got|there s) a plan\b|\bplann(?:ed|ing) "
                 r"(?:it|how|when|where|to (?:end|kill|do it|take))|\bpicked (?:a|the) "
                 r"(?:date|day|spot|place|bridge|time)")),
        ("stockpile", r"\b(?:stockpil|sav(?:ed|ing) up|hoard|collect(?:ed|ing)|stash|kept|"
                      r"keeping|squirrel|put aside|putting aside)\w* (?:up |away )?(?:some |"
                      r"my |all my |a load of |loads of |of )?(?:\w+ )?" + PILLS),
        ("means_for", PILLS + r"\b.{0,40}\b(?:for when|just in case|for the end|to do it|to "
                      r"end|enough to|if i need)"),
        ("enough_pills", r"\benough (?:\w+ )?" + PILLS + r"|\bhow many " + PILLS),
        ("bought_means", (r"\b(?:bought|got|buy|buying|getting|have|got hold of|found) (?:a |"
                         r"some )?(?:rope|gun|hose|hosepipe|charcoal|blade|razor blades|"
                         r"ligature|noose)\b")),
        ("giving_away", (r"\bgiv(?:ing|en|e) (?:all |most of )?(?:my |me )?(?:stuff|things|"
                        r"belongings|possessions|clothes|records|guitar|games|bits|cat|dog) "
                        r"(?:away|to)|\bgiv(?:ing|en|e) (?:it all|everything) away\b")),
        ("letters", (r"\bwr(?:ote|iting|ite|itten) (?:a |some )?(?:note|notes|letter|letters|"
                    r"goodbye)s?\b.{0,40}\b(?:kids|children|mum|mom|family|wife|husband|"
                    r"everyone|goodbye|for after|when i m gone)|\bsuicide note\b|\bgoodbye "
                    r"(?:letter|note|message)s?\b")),
        ("affairs", (r"\b(?:sort(?:ed|ing)?|put|putting|got|getting) (?:my |all my )?(?:affairs|"
                    r"will|papers|finances) (?:in order|sorted|out)|\bmade a will\b|\bsort(?:ed|"
                    r"ing)? (?:out )?my will\b")),
        ("goodbyes", (r"\bsa(?:id|ying|y) (?:my )?goodbyes?\b|\bsay goodbye to (?:everyone|"
                     r"them|the kids)")),
        ("rehearsal", (r"\b(?:tried|practis\w*|practic\w*|test(?:ed|ing)?) (?:the rope|the "
                      r"knot|the noose)|\bstood (?:on|at) the (?:edge|bridge|platform|ledge)|"
                      r"\bwent (?:up )?to the (?:bridge|cliff|edge|roof|tracks|railway)")),
        ("intent", (r"\b(?:i m|im|i am) (?:going to|gonna) (?:end it all|kill " + ME + r"|"
                   r"finish it all|take (?:them all|the (?:whole|lot)|all (?:of )?(?:them|the "
                   r"pills|my (?:pills|tablets|meds))))|\b(?:tonight|this weekend|after (?:the|"
                   r"my) \w+) (?:is|s) (?:the night|when i go)")),
        ("place_method", (r"\b(?:the bridge|the railway|the tracks|the cliff|the motorway "
                         r"bridge|the multi storey|the car park roof)\b.{0,60}\b(?:end|jump|"
                         r"do it|gone|over|last)")),
    ],
    "risk_self_harm": [
        ("cut_self", r"\b(?:cut|cuts|cutting|slash\w*|slice\w*|carv\w*) (?:" + ME + r"|my "
                     r"(?:arms?|legs?|wrists?|thighs?|stomach|skin|hips?))\b"),
        ("harm_self", r"\b(?:hurt|hurting|harm|harming|burn|burning|burnt|hit|hitting|"
                      r"punch|punching|scratch|scratching|bit|bite|biting|injur\w*|bang\w*|"
                      r"bash\w*|starv\w*|punish\w*) " + ME + r"\b"),
        ("self_harm", r"\bself ?(?:harm|harming|harmed|injur\w*|mutilat\w*)\b"),
        ("overdose", (r"\bi (?:took|ve taken|d taken|had|did) (?:an |a )?(?:overdose|od)\b|"
                     r"\bi (?:overdosed|od d|od ed)\b")),
        ("swallowed", r"\b(?:swallow(?:ed)?|took|necked|downed|take) (?:a |the )?(?:whole |"
                      r"full )?(?:bunch|handful|load|lot|packet|box|bottle|strip|all|loads|"
                      r"couple of boxes|box|boxes)(?: of)? (?:my |her |his |mum s |the )?"
                      + PILLS),
        ("blade", (r"\b(?:razor|razors|blade|blades|sharpener|compass|lighter|lit cigarette)\b"
                  r".{0,50}\b(?:arm|arms|wrist|wrists|leg|legs|thigh|skin|myself|me|bleed)")),
        ("scars", (r"\b(?:my |the )?(?:scars|cuts|marks|burns) (?:on|up) my (?:arm|arms|wrist|"
                  r"wrists|legs?|thighs?|stomach)|\bhid(?:e|ing)? (?:my |the )?(?:arms|cuts|"
                  r"scars)|\blong sleeves?\b.{0,40}\b(?:hide|cover|so no one|so nobody)")),
        ("bleed", (r"\b(?:make|made|watch|watching) (?:my ?self |meself )?bleed\b|\buntil (?:i|it) "
                  r"bled?\b")),
        ("relapse_harm", (r"\b(?:relaps\w*|slipped|clean)\b.{0,30}\b(?:cutting|self harm|"
                         r"harming|cut)\b")),
    ],
    "risk_harm_to_others": [
        ("threat", (r"\b(?:i ll|i will|i m gonna|i m going to|im gonna|i am going to|i swear i ll|"
                   r"i could|i d|i would|i might|going to|gonna) (?:really |actually |fucking |"
                   r"bloody )?(?:kill|hurt|stab|batter|smash|beat|shoot|knife|strangle|choke|"
                   r"break|glass|bottle|deck|hit|murder|do) (?:him|her|them|that (?:guy|girl|"
                   r"man|woman|bloke|fella|kid|cow|bastard|prick)|the (?:guy|baby|kid|kids)|my "
                   r"(?:wife|husband|partner|boss|dad|mum|kid|kids|son|daughter|brother|sister|"
                   r"ex|neighbour)|his|every (?:one|last)|someone|somebody)\b"
                   r"(?! (?:a favour|a favor|proud|good|right|justice|a lift|in (?:at|on) "
                   r"(?:chess|cards|pool|darts)))")),
        ("urge", (r"\b(?:want(?:ed)? to|wanna|urge to|feel like|felt like|thought about|"
                 r"thinking about|think about|fantasi\w* about|picture|imagine|imagining|"
                 r"dream about|scared i ll|scared i might|afraid i ll|afraid i might|worried "
                 r"i ll|worried i might|frightened i ll) (?:really )?(?:kill(?:ing)?|hurt(?:ing)?|"
                 r"stab(?:bing)?|strangl\w*|chok\w*|shak\w*|smother\w*|push(?:ing)?|"
                 r"hit(?:ting)?|drown\w*|suffocat\w*|punch(?:ing)?|batter\w*|smash\w*|"
                 r"shoot(?:ing)?|run(?:ning)? (?:him|her|them) (?:over|down)) (?:him|her|"
                 r"them|the baby|my (?:wife|husband|partner|boss|dad|mum|baby|kid|kids|son|"
                 r"daughter|brother|sister|ex|neighbour)|his|someone|somebody|people)\b")),
        ("shake_baby", (r"\bshak\w* (?:the|my|her|him) (?:baby|little one|son|daughter)|"
                       r"\b(?:baby|little one)\b.{0,40}\b(?:against the wall|throw|drop (?:him|"
                       r"her)|hurt (?:him|her))")),
        ("did_violence", (r"\bi (?:hit|punched|slapped|kicked|strangled|choked|stabbed|"
                         r"battered|beat up|beat|pushed|shoved|headbutted|glassed|throttled|"
                         r"grabbed|smacked) (?:her|him|my|the|them|his|that|a|this)\b")),
        ("weapon", (r"\b(?:carry|carrying|carries|bring|bringing|got|keep|keeping|have) (?:a|my|"
                   r"his|the|my dad s|my da s|a kitchen) (?:knife|blade|gun|bat|machete|"
                   r"shank|piece)\b")),
        ("make_pay", (r"\b(?:make (?:him|her|them) pay|get (?:him|her|them) back|see how (?:he|"
                     r"she|they) like it|teach (?:him|her|them) a lesson)\b")),
        ("over_with_pillow", (r"\b(?:pillow|cushion)\b.{0,40}\b(?:over|on) (?:his|her|their) "
                             r"face|\bstand over (?:him|her)\b")),
    ],
    "risk_abuse": [
        ("hits_me", (r"\b(?:he|she|they|my (?:husband|wife|partner|boyfriend|girlfriend|ex|dad|"
                    r"da|mum|mom|stepdad|stepmum|step dad|uncle|brother|sister|son|carer|"
                    r"fella|man|missus)) (?:hits|hit|beats|beat|kicks|kicked|punches|punched|"
                    r"slaps|slapped|strangled|strangles|chokes|choked|throttled|pushes|pushed|"
                    r"shoves|shoved|throws|threw|grabs|grabbed|drags|dragged|burnt|burns|"
                    r"bit|bites|spat|spits|hurts|hurt|belts|belted|smacks|smacked|batters|"
                    r"battered|knocks|knocked) (?:me|us|her|him|the kids|the children|my "
                    r"(?:son|daughter|kids|little|mum|mom|sister|brother|baby)|them)\b")),
        ("threatens", (r"\b(?:he|she|they|my (?:husband|wife|partner|boyfriend|girlfriend|ex|"
                      r"dad|stepdad)) (?:threatens|threatened|said he d|said she d|says he ll|"
                      r"says she ll|swore he d) (?:to )?(?:kill|hurt|take the kids|burn|throw|"
                      r"leave me with nothing)")),
        ("control", (r"\b(?:won t|doesn t|does not|wont|never) let(?:s)? me (?:see|have|go|leave|"
                    r"out|use|talk|work|keep|drive|get a job|visit|call)|\bcheck(?:s|ing)? (?:my|"
                    r"all my) (?:phone|messages|texts|bank|emails|location|receipts)|\b(?:he|"
                    r"she|they|my (?:husband|wife|partner|boyfriend|girlfriend|son|daughter|"
                    r"carer)) (?:takes|took|keeps|controls|has) (?:all )?my (?:money|wages|card|"
                    r"bank card|benefits|phone|passport|keys|pension)\b|\blocks? me (?:in|out)\b|"
                    r"\btracks? my "
                    r"(?:phone|location|car)")),
        ("sexual", (r"\b(?:raped|rape|molest\w*|sexually (?:abused|assaulted)|touched me|"
                   r"touching me|made me (?:touch|watch)|forced (?:himself|herself) on me|"
                   r"interfered with me|groom\w*)\b")),
        ("abused", (r"\b(?:abused|abusive|abuse|beaten|battered|assaulted|neglected|"
                   r"domestic violence|domestic abuse|coercive)\b")),
        ("scared_of", (r"\b(?:scared|afraid|terrified|frightened) (?:of (?:him|her|what he|what "
                      r"she|my (?:husband|partner|dad|stepdad|boyfriend))|to go home|he ll "
                      r"find|she ll find|of going home)\b")),
        ("child_left", (r"\b(?:left|leaves|leave) (?:the |my |his |her )?(?:kids|children|"
                       r"baby|little ones?|toddler|(?:little )?(?:brother|sister))\b.{0,40}"
                       r"\b(?:alone|on (?:their|his|her) own|by (?:them|him|her)sel\w*|all "
                       r"(?:night|day|weekend))|\bno food in the (?:house|flat)\b|\bnobody "
                       r"(?:feeds|looks after|picks up) (?:them|him|her|the kids)")),
        ("marks_on_child", (r"\b(?:bruises?|marks|burns?|welts|black eye)\b.{0,40}\b(?:on (?:his|"
                           r"her|their|the kid|the baby|my (?:son|daughter|niece|nephew|"
                           r"grandson|granddaughter))|he|she)\b")),
        ("elder", (r"\b(?:taking|took|takes|stealing|steals|stole) (?:(?:my |her |his )?(?:nan|"
                  r"gran|mum|mom|dad|grandad|granny|grandma|grandpa) s |(?:her|his) )(?:money|"
                  r"pension|savings|card|benefits)")),
    ],
}

#: Idioms and harmless senses: a hit whose surrounding text matches one of these is dropped.
VETOES: list[str] = [
    (r"\b(?:is|s|are|re|was|were|it s|this|that|they re|job|work|commute|shift|kids|heat|"
    r"traffic|stairs|boss|shoes|back|knees|feet|diet|exam|exams|revision|deadline|"
    r"hangover|cold|gym|class|course|training|schedule|rota|uni|college|school|weather|"
    r"noise|suspense|waiting|queue) (?:is |are |was |s |re )?(?:literally |actually "
    r"|honestly |properly |absolutely |really |just )?killing (?:me|us)\b"),
    (r"\b(?:mum|mom|mam|ma|dad|da|wife|husband|missus|boss|coach|teacher|sister|brother|nan|"
    r"gran|partner|girlfriend|boyfriend|she|he|they|missus) (?:ll|will|would|d|is gonna|is "
    r"going to|s gonna|gonna|is) (?:literally |actually |absolutely )?(?:kill|murder) (?:me|us)"),
    (r"\b(?:could|would|d|i ll) (?:murder|kill) (?:a|an|for|some|that|the) (?:curry|pint|"
    r"pizza|burger|kebab|coffee|drink|beer|cuppa|tea|chips|sandwich|takeaway|fag|smoke|cig)"),
    (r"\bdying (?:to|for|of (?:boredom|laughter|embarrassment|shame|thirst|hunger|heat|"
    r"curiosity))\b"),
    r"\b(?:nearly|almost|could have|could ve) died (?:of|laughing|when|from embarrassment)",
    r"\b(?:killed|killing|kill) (?:it|time|the (?:game|mood|vibe|battery|engine|lights))\b",
    r"\bdead (?:tired|on my feet|beat|good|easy|funny|serious|boring|quiet|excited)\b",
    (r"\b(?:in|on|playing|played) (?:the |a )?(?:game|fortnite|call of duty|cod|gta|minecraft|"
    r"film|movie|book|novel|show|series|episode|podcast|documentary|news|song|video)\b"),
    (r"\b(?:cut|cutting) (?:down|back|out|it out|the (?:grass|hedge|lawn|onions|veg|bread|"
    r"cake|crap)|my (?:hair|nails|losses|hours|drinking)|(?:my ?self|meself) (?:a|some|off "
    r"from)|corners)\b"),
    r"\b(?:hang|hanging|hung) (?:out|on|around|about|up|in there|the washing|a picture)\b",
    r"\bshoot(?:ing)? (?:hoops|pool|the breeze|a film|a video|photos|for)\b",
    (r"\b(?:hit|hitting) (?:the gym|the road|the pub|the shops|the books|the sack|a wall with|"
    r"rock bottom|my target|my step|my goal|it off|the bottle)\b"),
    (r"\b(?:beat|beating|beats) (?:me at|them at|him at|her at|the (?:record|odds|traffic)|"
    r"my (?:record|time|score)|around the bush)\b"),
    r"\bi d rather die than\b|\bi will literally die\b|\bwould literally die\b|\bshoot me now\b",
]

#: Past-and-over cues (``history``) and present cues (``urgent``) for the state.
HISTORY_CUES: list[str] = [
    (r"\b(?:when i was|back when i was|as a) (?:a |an )?(?:kid|child|teen|teenager|young|"
    r"younger|little|girl|boy|student|nipper|wean|bairn|\d+|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|in my (?:teens|twenties)|at "
    r"(?:school|uni|college))\b"),
    r"\b(?:years|yrs|decades|a long time|ages|long) ago\b",
    (r"\b(?:used to|back then|back in (?:the day|school|uni|19\d\d|20[01]\d)|in the past|at "
    r"the time|in my teens|in my twenties|at school|at uni|in year \d+|as a teenager)\b"),
    (r"\b(?:haven t|have not|not) (?:done|cut|self harmed|harmed|felt like that|thought "
    r"about it|had those thoughts) (?:it |that )?(?:in|for|since) (?:years|ages|a long time|"
    r"\d+ years|a decade|school|uni)"),
    (r"\b(?:stopped|gave up|quit) (?:cutting|self harming|it|harming) (?:years|ages|a long time|"
    r"when|after)\b"),
    r"\b(?:first|last) (?:attempt|time)\b.{0,30}\b(?:years|was at|when i was)",
    (r"\b(?:tried|attempted) (?:to (?:kill|end|take)|suicide)\b.{0,60}\b(?:years ago|when i "
    r"was|at (?:school|uni)|in (?:19\d\d|20[01]\d)|as a)"),
    r"\bwhen i was (?:a )?(?:little|small|young|growing up)\b|\bgrowing up\b",
]
PRESENT_CUES: list[str] = [
    (r"\b(?:now|lately|recently|these days|at the moment|right now|currently|still|again|"
    r"anymore|any more|tonight|today|this (?:week|month|morning|weekend|year)|last (?:night|"
    r"week|weekend|month)|yesterday|every (?:day|night|morning)|most (?:days|nights)|keep "
    r"(?:thinking|having|wanting)|been (?:thinking|having|feeling|wanting|doing|cutting)|"
    r"started (?:again|cutting)|the other (?:day|night)|since (?:christmas|the funeral|"
    r"he left|she left|i lost))\b"),
]
