"""Curated phrase patterns for each relationship code, written from the code definitions.

These carry the codes to phrasings the training data never saw: each pattern is a
*kind* of wording (``it's (entirely) up to you``, ``took (real) courage``) rather than an
example sentence. Patterns run on lower-cased text with straight apostrophes (see
:func:`rapport.coding.relationship.rules.normalise`). ``VETOES`` cancel a code's hits where
the same words mean something else ("up to the court", "you should see the garden").
"""

from __future__ import annotations

_FEEL = (r"(ashamed|scared|terrified|frightened|afraid|petrified|lonely|alone|sad|depressed|"
         r"hopeless|worthless|useless|guilty|hurt|heartbroken|devastated|crushed|gutted|empty|"
         r"numb|anxious|overwhelmed|angry|furious|jealous|bitter|humiliated|mortified|"
         r"abandoned|lost|happy|proud|relieved|miserable|low|dreading|disgusting|disgusted|"
         r"unloved|invisible|broken|desperate|panicky|panicking|lost|awful|terrible|rubbish|"
         r"horrible|stupid|pathetic|small|tiny|exhausted|drained|trapped|unsafe|insecure|"
         r"upset|let down|betrayed|rejected|resentful|embarrassed|fragile|vulnerable|"
         r"heartbroken|grief|grieving|bereft|joyful|elated|over the moon|on top of the world|"
         r"a (mess|wreck|failure|fraud|burden)|in bits|in pieces|falling apart|not (ok|okay|"
         r"alright|coping)|so alone|that low|that miserable)")

_BARE = (r"(ashamed|scared|terrified|frightened|petrified|lonely|heartbroken|devastated|"
         r"crushed|gutted|numb|humiliated|mortified|abandoned|hopeless|worthless|miserable|"
         r"dreading|relieved|furious|rage|fury|shame|guilt|bitter|lighter|desperate|"
         r"panicky|hurt|sad|lost|anxious|depressed|overwhelmed|awful|terrible)")

#: ``code -> [(rule name, regex source, negatable)]``; negatable hits are dropped when a
#: negator ("not", "never", "n't") sits just before the matched words.
PATTERNS: dict[str, list[tuple[str, str, bool]]] = {
    "affirm": [
        ("praise", (r"\b(well done|good (on|for) you|nice one|great (job|work|stuff)|good (job|"
                   r"stuff|work)|fair play|nice work|brilliant work|proud of (you|yourself)|"
                   r"should (be|feel) (really |so |right )?proud|i('m| am) (really |so )?"
                   r"(impressed|proud)|i (really )?admire)"), False),
        ("strength", (r"\b(took|takes|taking) (real |a lot of |some |such )?(courage|guts|"
                     r"strength|bravery)|\b(shows?|showed|says) (real |a lot of |how much |"
                     r"enormous |great |such |so much )?(about you|strength|courage|"
                     r"determination|commitment|self-control|maturity|integrity|care|"
                     r"self-awareness|persistence|resilience)|\bsays a lot about (you|your)|"
                     r"\bi can "
                     r"see (the effort|how much|how hard)|paying off|real achievement|"
                     r"(wise|healthy|good|great|smart) (move|choice|decision|thing to do|"
                     r"way to)|(that's|it's) (a |real )?(skill|strength)|(entirely|"
                     r"completely|perfectly) reasonable|(a|is) valid"), False),
        ("that_was", (r"\bthat('s| is| was) (a |such a |so |really |very |proper |pretty )*"
                     r"(brave|courageous|impressive|huge|amazing|brilliant|fantastic|"
                     r"remarkable|wonderful|honest of you|kind of you|caring|wise|principled|"
                     r"(big|huge|real|massive|great) (step|achievement|deal|win|accomplishment|"
                     r"progress)|an? (achievement|accomplishment)|real progress|great progress)"),
         True),
        ("you_are", (r"\byou('re| are) (really |so |such an? |clearly |obviously |also )*"
                    r"(brave|strong|resourceful|caring|devoted|determined|thoughtful|"
                    r"talented|capable|good at|great at|someone who (cares|works|plans)|"
                    r"a (caring|devoted|loving|great|good) )"), True),
        ("validate", (r"\b(your|those|these|the) (feelings?|reactions?|anger|sadness|grief|"
                     r"hurt|frustration|fear|tears|emotions?|bitterness|response) (is|are|"
                     r"makes?|seems?) (completely |totally |entirely |absolutely |so |really "
                     r"|perfectly )*(valid|real|legit|legitimate|understandable|"
                     r"sense|appropriate|reasonable|fair|natural)"), True),
        ("makes_sense", (r"\b(makes?|made) (complete |total |a lot of |perfect |so much )?"
                        r"sense( (that|you'd|you would|given))?|\bof course (you|it)('re| are|'d|"
                        r" feel| would| still| hurts|'s)|\banyone (would|in your)|it('s| is) "
                        r"(totally |completely |perfectly |entirely |absolutely )?(okay|ok|"
                        r"understandable|fair enough|fair|natural|allowed) (to|that you) "
                        r"(feel|be|cry|miss|grieve)|you('re| are) (not|never) (being )?"
                        r"(pathetic|stupid|overreacting|silly|weak)|isn't (stupid|a flaw|"
                        r"weak)|is (real grief|real)\b"), False),
        ("thanks_trust", (r"\bthank you for (trusting|sharing|being (so )?(honest|open))|"
                         r"i('m| am) (really |so )?glad you (did|told|said|shared)"), False),
    ],
    "emphasize_autonomy": [
        ("up_to_you", (r"\b(up to (you|yourself)|(your|ur) (own )?(choice|decision|call|"
                      r"life to|right)|yours to (decide|choose|make|shape)|(is|are|stays?) "
                      r"yours\b|the (choices|decisions?) (here )?(belong to|are|is|stays?) "
                      r"(you|yours))"), True),
        ("you_decide", (r"\b(only )?you (can|get to|have (every|the) right to|are free to|"
                       r"'re free to|are entitled to|'re entitled to|may) (decide|choose|"
                       r"pick|make (that|this|the) (decision|choice)|go or stay|try it or "
                       r"not|stop whenever|take this at)|\byou (decide|choose|pick)\b(?! not)|you "
                       r"set the (speed|pace)"), False),
        ("in_charge", (r"\byou('re| are) (the one )?(in charge|in control|the expert|the boss|"
                      r"in the driver's seat|steering|the best judge|free to)|\bnobody "
                      r"(can|is going to|'s going to) (make|force)|\bno(body|one| one|-one)"
                      r"('s| is)? (forcing|going to force|can make)|\b(nobody|no one|"
                      r"no-one) can make that decision"), False),
        ("pace", (r"\b(your (own )?pace|pace (that )?(feels right|you choose)|your own time|"
                 r"you set the speed|follow your lead|no pressure|take it or leave it|"
                 r"(totally |completely |entirely )?optional|you don't (have|need) to\b|"
                 r"you're always allowed to say no|allowed to say no|change your mind)"),
         False),
        ("you_know_best", (r"\byou know (what's right for you|your (own )?(life|situation)|"
                          r"yourself|what you can|better than)|you're the (only )?one who "
                          r"(decides|gets to|can decide)|i (won't|will not) (push|tell you "
                          r"what)"), False),
    ],
    "seek_collaboration": [
        ("permission", (r"\b(would it be (alright|okay|ok|all right|helpful|useful)|is it "
                       r"(okay|ok|alright|all right)( with you)? if|(can|may|could) i "
                       r"(offer|share|suggest|run|explain|ask|tell you|give you|point|make)|"
                       r"mind if i|do you mind if|would you (like|be (open|interested|"
                       r"willing|up for))|do you want (me|us) to|would you prefer|or would "
                       r"you rather|(only )?if (it feels|you'd like|you like|that suits|you "
                       r"want|you're comfortable)|you can veto|tell me if (it|they|that) "
                       r"(fits?|sounds?|doesn't)|just say if|if that's (ok|okay|alright))"),
         False),
        ("together", (r"\b(together|as a team|put our heads together|with you\b.*(plan|"
                     r"think|brainstorm)|we (can|could) (shape|decide|build|work|plan))"),
         False),
        ("your_ideas", (r"\b(what would you like|where would you like|how would you like|what "
                       r"do you (think|reckon) (would|we|your|might|should)|what ideas do "
                       r"you|your (input|thoughts|ideas|view)\b|how can (i|we) (be|help|work)"
                       r"|what do you want (from me|to (focus|talk|work|get))|which would "
                       r"you prefer|what are your thoughts|you pick|i'd (love|like) to hear "
                       r"(them|your)|do you fancy|what feels most (important|pressing|useful)"
                       r"|what kind of (task|thing) would)"), False),
    ],
    "normalize": [
        ("common", (r"\b(very |really |so |extremely |incredibly |pretty |more |most |"
                   r"entirely |totally |completely |perfectly |a )?(common|normal|natural|"
                   r"typical|universal|well-known|recogni[sz]ed)\b( (reaction|response|"
                   r"feeling|thing|experience|part|way|pattern|fear|symptom|side effect))?"),
         True),
        ("many_people", (r"\b(a lot of|lots of|many|most|loads of|plenty of|so many|nearly "
                        r"(every|all)|almost (every|all)|half the)( \w+){0,2} (people|folks|"
                        r"of us|clients|parents|students|carers|survivors|dads|mums|adults|"
                        r"everyone|everybody|one|new|bereaved|people's)"), False),
        ("not_alone", (r"\b(you're|you are) (not|far from|definitely not) (alone|the only)|"
                      r"\bnot the only one|happens to (a lot of|lots of|many|loads of|"
                      r"everyone|most)|\b(it's|it is|that's) not (strange|weird|unusual|"
                      r"abnormal)|part of (recovery|grieving|grief|change|being human|how "
                      r"depression)|no (right way|timetable)|more common than|than "
                      r"(people|you'd) (think|realise|realize|imagine)|everyone (goes|feels|"
                      r"has)|most of us"), False),
    ],
    "self_disclosure": [
        ("me_too", (r"\b(me too|so (am|did|do) i\b(?! \w)|mine (did|was|is|does) too|i('m| am| do|"
                   r" did| was| have|'ve)( \w+){0,3} (too|as well|myself)|(myself|my own)"
                   r" (life|family|son|daughter|father|mother|kids|mum|dad)|i('m| am) a "
                   r"\w+ (myself|too))\b"), False),
        ("my_life", (r"\b(when|after|before) (i|my (own )?\w+) (was|were|went|lost|turned|"
                    r"died|had|got|started)|\bi (used to|grew up|lost my|had (a|my|an|"
                    r"insomnia|money)|was (bullied|diagnosed|raised|brought up)|struggled|"
                    r"went through|came (over|here)|trained as|remember (those|turning|"
                    r"the)|cared for|spent)|\bi('ve| have) (been|had|felt|lost|struggled)"
                    r" (\w+ ){0,3}(myself|too|in my own)"), False),
        ("my_people", (r"\bmy (own )?(wife|husband|partner|son|daughter|kids|children|"
                      r"teenagers|mum|mother|dad|father|brother|sister|family|grandmother|"
                      r"grandad|baby|twins|cousin|mother-in-law|parents|manager|dad's)\b"),
         False),
        ("i_am", (r"\bi('m| am) (a |an )?(nervous flyer|terrible sleeper|vegan|twin|"
                 r"immigrant|practising|autistic|bi|gay|in recovery|sober|fasting|married|"
                 r"tired a lot|\w+ man|\w+ fan)|\bi (am|do),? (yes|actually)|\bi have "
                 r"(ocd|adhd|two|three|kids)|\bi (run|swim|cycle|go)( \w+){0,3} (myself|"
                 r"too|every)"), False),
    ],
    "metacommunication": [
        ("between_us", (r"\b(between us|(our|these) (sessions?|work( together)?|relationship|"
                       r"time together)|how (is|was|are) (it|this|that|today|today's "
                       r"session|therapy|our work)( going)? (for you|feel|going)|what's it "
                       r"like (for you )?(talking|being|sitting|to (talk|be))|with me\b|to "
                       r"me (specifically|in particular)|in here\b|safe (space|enough))"),
         False),
        ("my_part", (r"\b(did i (say|do|put|get|miss|upset)|something (i|about how i) "
                    r"(said|did|do)|i('m| am) (really )?sorry,? (if )?i|i (pushed|rushed|"
                    r"missed|interrupted|steamrolled|came across|let you down)|how did "
                    r"(that|it) land|what i (could|did|got|missed)|i('ve| have) been "
                    r"(interrupting|steering|doing most)|the way i('m| am)|how i('m| am) "
                    r"(asking|going)|how you experience me|as (a|your) therapist|you're "
                    r"right(,| that)|what (i|we) could do (differently|better)|(do|did) i "
                    r"(get|got) it wrong|where i went wrong)"), False),
        ("feedback", (r"\b((your )?feedback|same page|check (in|something|how)|review how|"
                     r"what's (been )?(helpful|working|not working)|is there anything "
                     r"about the way|keeping me at|holding back with me|going along with "
                     r"me|hand the decisions to me|expect me to)"), False),
    ],
    "persuade": [
        ("should", (r"\byou (really )?(should|need to|have to|must|'ve got to|'ve gotta|gotta|"
                   r"got to|ought to|better|had better)\b(?! (see|watch|check out|have "
                   r"seen|know|feel|be (right |really |so )?proud|admit|accept|own|face|"
                   r"reach|stop (lying|blaming|kidding)|actually))|\byou('ve| have)? (got to|"
                   r"gotta)\b|\byou need (a|an|some|more) |\by'all need to|"
                   r"what you('ve| have)? (ought|need|should|got|"
                   r"gotta)( to)? do|\bif i were you|\bi'd (stop|just|tell|go)|the best thing"
                   r" (you can do|to do) is|\bi (think|reckon) you should|that's what you "
                   r"(need|should)|\bit's a must|no excuses\b|\bthat's key"), False),
        ("imperative", (r"(^|[.!?] )(just |so |honestly,? |seriously,? |um,? |right,? |and "
                       r")?(try|stop|start|get|go|take|make|set|put|cut|block|delete|join|"
                       r"ring|call|tell|keep|switch|turn|buy|eat|have|pack|give|unfollow|"
                       r"alternate|break|report|appeal|walk|send|separate|volunteer|drink|"
                       r"count|write|do|avoid|quit|book|leave|change|find|ask|use|be|"
                       r"limit|skip|sit|apologi[sz]e|phone|text|speak|talk|clean|tidy|"
                       r"wake|sleep|exercise|run|cook|save|spend|pay|read|listen|look|"
                       r"focus|remember|forget|think|let|drop|plan|schedule|prepare|"
                       r"practise|practice|pick|choose|move|throw|bin|sell|reduce|increase|"
                       r"add|remove|swap|replace|install|uninstall|sign|register|see|visit|"
                       r"meet|confront|face|accept|ignore|breathe|relax|rest|lie|wait|"
                       r"hold|carry|bring|invite|message|email|contact|warn|explain|"
                       r"insist|refuse|cancel|open|close|lock|hide|show|treat|reward)\b"
                        r"(?! (you|i|we|they|he|she)\b)"),
         False),
    ],
    "confront": [
        ("denial", (r"\byou('re| are) (just |clearly |obviously )?(in denial|kidding yourself|"
                   r"fooling yourself|minimi[sz]ing|downplaying|making excuses|not (being "
                   r"honest|taking this seriously|fine|alright|trying|putting in))|\bthat's "
                   r"(just |simply |the )?(an excuse|not true|rubbish|nonsense|not good "
                   r"enough|not acceptable|irresponsible|reckless|selfish|wrong|denial|"
                   r"addiction)|\b(stop|quit) (pretending|lying|kidding|making excuses|"
                   r"blaming|playing the victim|justifying)|\bstop lying"), False),
        ("challenge", (r"\b(come on|(we|you) both know|i don't (believe|buy)|i'm not (convinced|"
                      r"seeing it)|you always (blame|say)|it's always someone else|you keep "
                      r"saying|you say that every|that's what you said|yes,? you did|you did "
                      r"say|face facts|wake up|own that|accept that|take responsibility|you "
                      r"(clearly|obviously) (can't|don't|are|aren't)|with that attitude|be "
                      r"honest with yourself|isn't your best|wasn't your best|not your best|"
                      r"don't (twist|rewrite|try to wriggle)|listen to yourself|call it what "
                      r"it is|you need to (admit|accept|own|face|stop justifying)|"
                      r"getting tired of|isn't good enough|not good enough|wasting (both )?"
                      r"our time|you're not taking|(and|but) you know it|you know it's wrong|you "
                      r"could be doing (much )?more|you wouldn't be (sitting )?here|what "
                      r"about your (kids|family|wife|children|husband)|you choose not to|"
                      r"why are you still|that's (a |an )?(serious|aggressive|incredibly|"
                      r"long way)|(wasn't|isn't|not) (a laugh|fun|okay)|doesn't make it "
                      r"okay)"), False),
        ("warning", (r"\bif you (carry on|keep|don't stop|continue)\b.*(lose|end up|die|kill)|"
                    r"\b(is|are) (destroying|killing)|drinking yourself to death|put (a "
                    r"child|your kids|yourself) (in danger|at risk)|is that what you want"),
         False),
    ],
    "boundary_statement": [
        ("cannot", (r"\b(can't|cannot|can not|not able to|unable to|don't|do not|won't|"
                   r"never) (\w+ ){0,2}(accept|take|give out|share|meet|socialise|socialize|"
                   r"connect|respond|read|attend|come to|go to|lend|sign|prescribe|be your|"
                   r"hug|discuss|promise|help (with|outside)|work weekends|give clients)"),
         False),
        ("frame", (r"\b(gifts?\b|presents?\b|social media|personal (number|details|life|mobile|"
                  r"email)|private life|outside (of )?(our )?(sessions?|therapy|here|the "
                  r"clinic|our professional)|between sessions|professional|not (your|a) "
                  r"(friend|mate)|i('m| am) (here as )?your (therapist|counsellor)|"
                  r"confidential(ity)?|limits (of|to)|there are limits|crisis line|"
                  r"samaritans|\b999\b|\b111\b|a&e|"
                  r"(our|the clinic's|my|service) policy|wouldn't be (appropriate|"
                  r"possible|okay)|isn't allowed|not "
                  r"allowed|keep (my|our|physical|contact)|keep it that way|have to report|pass "
                  r"that on|stays between us|unless (there's|i'm worried|there is)|limited "
                  r"to|(these|our) sessions are (just |only )?for you|i'd (prefer|rather) we "
                  r"(keep|stick|didn't)|review the contract|face to face here|(doesn't|don't) "
                  r"allow|through the (clinic|practice)|that's (not|outside) (something|"
                  r"what)|my role|our roles|blur)"), False),
        ("time", (r"\b((we|i) (have|need) to (stop|finish|wrap)|(minutes|time) left|finish on"
                 r" time|start to wrap up|once a week|stop the session|take a break)"), False),
    ],
    "withdrawal": [
        ("evasive", (r"\b(can we (talk about something|change the|skip|not)|rather not|don't "
                    r"(wanna|want to) (talk|get into|go)|not (going|getting) (there|into)|"
                    r"you (tell me|decide)\b|whatever you (think|say|reckon)|you're the "
                    r"(therapist|professional|expert)|ask (him|her|them)\b|you'd have to ask|"
                    r"next question|drop it|leave it|forget it|it is what it is|just how it "
                    r"is|not a big deal|it's not a big deal|doesn't matter|don't care|"
                    r"if i have to|if you (say so|want)|nothing to (say|tell)|not much to "
                    r"tell|can we not)"), False),
    ],
    "confrontation": [
        ("you_fail", (r"\byou (don't|never|didn't|do not|won't) (get|understand|listen|care|"
                     r"remember|ask|know me)|you('re| are) (not|never) (listening|helping)|"
                     r"you (have no|haven't got any) idea|are you (even|actually) "
                     r"(listening|paying)|you (always|keep) (cut|cutting|end|interrupt|"
                     r"interrupting|bring|look|looking|yawning|rush|ask)|you (forgot|"
                     r"cancelled|kept me waiting|were late|rushed me|offended me|upset me|"
                     r"make me feel)|you (really )?(offended|upset|hurt) me"), False),
        ("therapy_useless", (r"\b(this|therapy|it|your \w+|these \w+|this whole \w+|the \w+ "
                            r"you \w+)('s| is| are| was) (a |just |totally |so |really )?"
                            r"(waste|pointless|useless|rubbish|a joke|joke|stupid|not "
                            r"(working|helping)|a con|con|a farce|farce|a disaster|awful)|"
                            r"waste of (time|money)|throwing money away|(therapy|this|it) "
                            r"(isn't|is not|doesn't|does not|'s not) (helping|working|do)|"
                            r"not helping|nothing's changed|what progress|why (should i|"
                            r"bother|are we even)|what's the point"), False),
        ("hostile", (r"\b(stop (repeating|parroting|analy[sz]ing|psychoanaly[sz]ing|saying|"
                    r"digging|fishing|interrupting|with the)|don't (tell me what|put words|"
                    r"talk down|psychoanaly|\"?hear\"? me|patronise|lecture)|you('re| are) "
                    r"(patronising|judging|just like|pushing|obsessed|rude|not perfect)|"
                    r"who are you to|what am i paying|what's the point of you|you lot|you "
                    r"people|you sound like|different therapist|right therapist|none of "
                    r"your business|leave my \w+ out|thanks for nothing|thanks,? genius|"
                    r"brilliant insight|you (never|don't) (get|listen)|isn't that your job|"
                    r"like a robot|like a textbook|yer no helpin|your little notebook|"
                    r"you agreed,? i didn't|\bhere we go again|not this again)"), False),
    ],
    "boundary_issue": [
        ("contact", (r"\b(your (personal |home |own |private )?(number|mobile|email|address|"
                    r"whatsapp|username|house|car|holiday photos)|(on|follow you on|add you "
                    r"on|friends on) (facebook|instagram|insta|tiktok|twitter|linkedin|"
                    r"snapchat)|(text|message|whatsapp|ring|call|email|phone) you\b|where do "
                    r"you live|which (area|part of town)|googled you|looked you up|found your|"
                    r"drove past your|walked past your|outside (the clinic|your)|what you "
                    r"drive|call you at home)"), False),
        ("gift", (r"\b(got|bought|brought|made|baked|knitted|picked up|get) you\b|(present|"
                 r"gift|something) for you|take this|here's (twenty|a tenner|some money)|"
                 r"(lend|loan) me"), False),
        ("social", (r"\b((go|get|grab|meet|going) (for )?(a |some )?(coffee|drink|pint|"
                   r"lunch|dinner|meal|the cinema|bowling)|(be|stay) friends (with you|when|"
                   r"after|on)|we could be friends|hang out (with you|together|sometime)|"
                   r"wanna hang (out )?(with you|\?)|you should (totally )?come|(come|you) "
                   r"(to|round to) my|"
                   r"at my (place|house|flat)|come over|come round|come (out|for)|my (gig|"
                   r"wedding|party|40th|birthday|band|leaving do)|give me a lift|drop me|"
                   r"(can i|could i) (have|give you) a (hug|cuddle)|keep in touch|stay in "
                   r"touch|be my (mum|reference|friend)|see my (husband|sister)|not a "
                   r"session|tickets for you|you and me\b|just us|outside of here|meet "
                   r"(at|more)|sessions at my)"), False),
        ("romance", (r"\b((feelings|fallen|falling) for you|in love with you|(date|dating|"
                    r"kiss|kissing|marry) you|go out together|attractive|you're (really )?"
                    r"fit|your (girlfriend|boyfriend)|my girlfriend instead|we (could|can|should) "
                    r"be together|"
                    r"are you (married|single)|do you have a (partner|boyfriend|girlfriend|"
                    r"husband|wife)|thinking about you|dreamt about (kissing )?you|dream "
                    r"we were|wish you were my|the only (person|one) i want|want to see "
                    r"you more)"), False),
    ],
    "emotional_disclosure": [
        ("i_feel", r"\b(i('m| am| was|'ve been| have been| feel| felt| get| got| been)|"
                   r"makes me( feel)?|made me( feel)?|leaves me|i just feel|i still feel|"
                   r"i'm still|i felt so|ah'm)( (so|really|that|totally|absolutely|"
                   r"completely|just|properly|proper|quite|a bit|bit|very|always|all the "
                   r"time|really really|not|never|still|honestly|actually|kind of|kinda|"
                   r"sort of))* " + _FEEL + r"\b", True),
        ("bare_feeling", r"^(honestly,? |um,? |just |really |so |very )?" + _BARE
         + r"\b(?! (at first|"
                         r"as ever|but))", False),
        ("crying", (r"\b(i (\w+ ){0,6}(cried|sobbed)|and (cried|sobbed|wept)|"
                   r"i (cry|cried|sobbed|sob|fell apart|fell to pieces|broke down|can't "
                   r"stop crying|miss (him|her|them) so)|i'm (crying|in bits)|(it|that) "
                   r"(hurts|broke my heart)|i('m| am) not (ok|okay|alright|coping)|i hate "
                   r"(myself|who i|it|my body)|eats (me|at me) alive|tears me up|my chest "
                   r"is tight|lump in my throat|going to cry|i miss (him|her) so|"
                   r"can't breathe|thought i was dying|never felt safe|feel sick)"), False),
    ],
}

#: ``code -> regex source``: where any matches, the code's rule hits are cancelled.
VETOES: dict[str, str] = {
    "emphasize_autonomy": r"\bup to the\b|\b(court|dvla|psychiatrist|prescriber|reception|"
                          r"admin team|council) (decides|makes|handles|does)",
    "normalize": r"\ba normal (day|week|night)|\b(normally|normal to pay|normal opening|"
                 r"buses|trains)\b|\bthinks? "
                 r"(it's |that's )?(\w+ ){0,3}normal\b|what (would|does) normal",
    "persuade": r"\b(if you('d)? (like|want)|would you|do you want|can i|"
                                 r"may i|is it (okay|alright)|only if|just say if)\b|^(take "
                                 r"(a seat|your time)|go (ahead|on)|tell me|have a seat|"
                                 r"make yourself|call me|come in|don't worry|let me|let's|"
                                 r"pop|just (hang|pop))|(^|[.!?] )(make yourself|come in|"
                                 r"take a seat)",
    "self_disclosure": r"\bin my (experience|work) (working )?with|let's keep the focus",
    "metacommunication": r"\bbetween you and\b|stays between us|(relationship|contact) "
                         r"(between us )?(stays|wouldn't|is limited)",
    "seek_collaboration": r"\b(living together|our (time|work) together|doing together)",
}
