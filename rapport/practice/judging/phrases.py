# ruff: noqa: E501  (phrase tables: one alternation per line reads better than wrapped)
"""Phrase rules for the practice codes: the words a reply uses, read sentence by sentence.

Written from the codebook's definitions and the drills' exemplars and mistakes (never from
evaluation replies). Advice detection is recall-first: a soft suggestion ("maybe try",
"it might be worth", "one thing that helps", an imperative) counts, because R2 makes advice
the one thing that must never slip through as ``met``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SENTENCE = re.compile(r"[^.?!\n]+[.?!]*")


def _rx(*parts: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in parts), re.IGNORECASE)


def normalise(text: str) -> str:
    """Lower case, curly quotes straightened, texting spellings expanded (R4: typos)."""
    t = text.replace("\u2019", "'").replace("\u2018", "'").lower()
    for short, full in ((r"\bu\b", "you"), (r"\bur\b", "your"), (r"\br\b", "are"),
                        (r"\bim\b", "i'm"), (r"\bill\b", "i'll"), (r"\bdont\b", "don't"),
                        (r"\bcant\b", "can't"), (r"\bwont\b", "won't"), (r"\bthats\b", "that's"),
                        (r"\bits\b", "it's"), (r"\bive\b", "i've"), (r"\bid\b", "i'd"),
                        (r"\bw/out\b", "without"), (r"\burself\b", "yourself"), (r"\bofc\b", "of course"),
                        (r"\bn\b", "and"), (r"\bq\b", "question"), (r"\bu'?re\b", "you're"), (r"\bw/\b", "with"), (r"\bpls\b", "please"),
                        (r"\brly\b", "really"), (r"\bcuz\b", "because"), (r"\btbh\b", "to be honest"),
                        (r"\bgonna\b", "going to"), (r"\bwanna\b", "want to"), (r"\bdoesnt\b", "doesn't"),
                        (r"\bdidnt\b", "didn't"), (r"\bisnt\b", "isn't"), (r"\byoure\b", "you're"),
                        (r"\bshouldnt\b", "shouldn't"), (r"\bwouldnt\b", "wouldn't"),
                        (r"\bmust of\b", "must have"), (r"\bgotta\b", "got to"),
                        (r"\bwhats\b", "what's"), (r"\bhows\b", "how's"), (r"\btheres\b", "there's")):
        t = re.sub(short, full, t)
    return t


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.findall(text) if s.strip(" .,!?")]


_SUICIDE_TOPIC = (r"suicid\w*|kill(?:ing)? (?:your ?self|yourself|themsel\w+)|end(?:ing)? (?:your|it|things)"
                  r"|tak(?:e|ing) your (?:own )?life|not (?:being )?alive"
                  r"|(?:wanting|want) to die|hurt(?:ing)? yourself|harm(?:ing)? yourself"
                  r"|self.harm|overdos\w*|dead|die\b|wake up|on yourself\b|thoughts of (?:jumping|killing|ending|dying)")

ADVICE = _rx(
    r"(?<!that )\byou (?:really |do |just |still )?(?:should(?!n't feel| not feel| be proud| feel)|need to|"
    r"must|ought to|gotta)\b",
    r"\bwe (?:just |really |still )?(?:need|have|ought) to (?:get|make|start|stop|cut|work|"
    r"sort|find|try|look|bring|keep|set)\b", r"\bdon't be so\b", r"\bdon't overthink\b",
    r"\bwould it help to\b", r"\bwe can (?:cut|reduce|work on|make a plan)\b",
    r"\blet's (?:have a look at your|work on (?:your|cutting|getting)|make a plan|set (?:a|some))\b",
    r"\bare you (?:drinking|eating|getting|sleeping|doing) enough\b",
    r"\bit(?:'d| would) be (?:good|better|helpful|worth|wise|sensible) (?:to|if)\b",
    r"\bwould make (?:a|all the) (?:big |real |huge )?difference\b", r"\b(?:want|like) to try (?:that|it|this)\b",
    r"\bwhat if you\b", r"\bif you (?:just |only )?(?:give it|gave it|tried|try)\b",
    r"\bi(?:'d| would) (?:really )?like you to (?:try|do|think|consider|give|start|stop)\b",
    r"\bi hope you(?:'ll| will) (?:say yes|try|agree|give)\b",
    r"\byou (?:have|got) to (?:stop|start|try|get|talk|tell|make|be (?:more|careful|honest)|go|"
    r"cut|do something|take|give|find|let|learn|accept|move|think|ask|speak|look after|"
    r"consider|reduce|quit|leave|put)\b",
    r"\byou(?:'d| would) be better\b", r"\byou might want to\b",
    r"\byou (?:could|might) (?:try|ask|talk|speak|book|write|call|join|look|use|start|"
    r"cut|swap|get|take|keep|go|put|set|make|do|think about|consider)\b",
    r"\byou can (?:try|ask|talk|speak|book|call|join|use|start|cut|swap|download)\b",
    # "Have you tried X?" suggests X; "What have you tried?" asks for the client's own ideas
    r"(?<!what )(?<!which )\bhave you (?:tried|considered|thought (?:about|of) (?!(?:"
    + _SUICIDE_TOPIC + r"|how (?:you|you'd|you'll)\b|what you\b|when you\b|where you\b)))",
    r"(?<!what )(?<!which )\bhave you (?:updated|asked|spoken|talked|looked into|checked)\b",
    r"\bwhy (?:don't|not|dont) (?:you|try|just|ask|talk|give)\b", r"\bwhy not\b",
    r"\b(?:maybe|perhaps|just|so) try\b", r"\btry (?:to|and|\w+ing|not|some|a |the |it|doing|"
    r"making|writing|talking|asking)\b",
    r"\bit (?:might|may|could|would) (?:be worth|help (?:to|if you)|be (?:good|a good idea|"
    r"better|helpful|useful) (?:to|if you))\b", r"\b(?:worth|good idea) (?:trying|a try|"
    r"talking|asking|looking)\b",
    r"\bone thing that (?:helps|can help|might help|works)\b", r"\bwhat (?:helps|works) "
    r"(?:a lot of|many|some|most) people\b",
    r"\bi(?:'d| would) (?:recommend|suggest|advise|tell|keep|avoid|say (?:try|go|just|you)|"
    r"go (?:for|with)|start|stick|cut|stop|wait|leave|think about (?:cutting|stopping))\b",
    r"\bi (?:recommend|suggest|advise|can recommend)\b", r"\bmy advice\b",
    r"\bif i were you\b", r"\bmake sure (?:you|to)\b", r"\bthe (?:best|right) thing (?:to do|is)\b",
    r"\b(?:best|better) to\b", r"\bhow about (?:you|trying|we try|a |some )",
    r"\bwhat about (?:trying|asking|talking|getting|joining|doing)\b",
    r"\bthere's (?:a|an|this) (?:good|great|brilliant|useful|free)? ?(?:app|book|group|course|"
    r"website|technique|exercise)\b",
    r"\byou(?:'ll| will) (?:need|have) to\b", r"\bdon't (?:forget|let|be afraid) to\b",
    r"\b(?:consider|remember to)\b",
    r"\bnext (?:year|time|week) you could\b", r"\byou could (?:always|just|also)\b")

#: A sentence that starts with one of these verbs is an instruction (imperative mood).
IMPERATIVE = re.compile(
    r"^(?:(?:ok(?:ay)?|so|well|honestly|look|right|and|but|just|maybe|perhaps|then),? )*"
    r"(?:just )?(?:try|keep|get|stop|start|cut|swap|make|go (?:to|and|for|see|out)|talk to|"
    r"speak to|tell (?:her|him|them|your)|ask (?:her|him|them|your|for)|write|call|ring|book|"
    r"avoid|take (?:a|some|the|up|it)|put|give (?:it|yourself|them|him|her)|drink|eat|exercise|"
    r"sleep|remember|focus|consider|join|download|use|set|limit|practi[cs]e|breathe|don't|do not|"
    r"never|always|stay away|cut back|cut down|switch|reduce|pick|have a (?:bath|go|chat|word)|"
    r"think about (?:\w+ing)|be (?:kind|gentle|honest with)|let (?:it|them|her|him) go|"
    r"reach out|see (?:a|your|if)|look (?:into|for|at)|find|leave|quit|move|plan|schedule|"
    r"distract|unfollow|delete|block)\b", re.IGNORECASE)
#: Instructions that invite talk rather than change behaviour.
NOT_ADVICE = re.compile(r"^(?:\w+,? )?(?:tell me|talk me|walk me|say more|go on|help me|"
                        r"take your time|keep going|don't worry about (?:answering|saying)|"
                        r"let me|feel free|say it|tell us)", re.IGNORECASE)

PERSUADE = _rx(
    r"\b(?:studies|research|evidence|statistic\w*|science) (?:show|says|suggest)\w*",
    r"\bsafer than\b", r"\bactually (?:disrupts|causes|makes|is|damages|works|helps|harmful)",
    r"\bno amount is\b", r"\b(?:is|are) (?:really )?(?:bad|harmful|dangerous|terrible|toxic) "
    r"for\b", r"\byou could (?:lose|die|end up|damage|hurt|get)\b", r"\b(?:risk|risks) (?:is|are) "
    r"real\b", r"\bpsychosis\b", r"\bdamag\w+ your\b", r"\bmost people do (?:really )?well\b",
    r"\bit (?:works|worked) for (?:most|lots|many)\b", r"\bthe (?:benefits|evidence)\b",
    r"\b(?:think|imagine) (?:about|of) (?:your|the) (?:kids|children|health|future|family)\b",
    r"\bdon't you (?:want|think)\b", r"\bwouldn't it be (?:better|nice)\b",
    r"\b\d+ ?(?:%|percent)\b", r"\bwhat (?:would|will) (?:happen|it take)\b.*\b(?:if you don't|"
    r"halve|cut)\b", r"\bit's (?:a|really a) (?:depressant|drug|risk)\b",
    r"\bwhat would it take to (?:halve|cut|stop|quit|reduce)\b")

CONFRONT = _rx(
    r"\b(?:it's|that's|thats) (?:obviously|clearly) not\b", r"\byou(?:'re| are) (?:clearly|"
    r"obviously|just|being) (?:\w+ )?(?:upset|angry|defensive|silly|ridiculous|dramatic|lazy|"
    r"difficult|in denial|making excuses|paranoid|overreacting)", r"\byou(?:'re| are) (?:an |a )?"
    r"(?:alcoholic|addict|in denial)\b", r"\bin denial\b", r"\bexcuses?\b",
    r"\bthat's (?:a bit )?(?:ridiculous|silly|nonsense|not true|creepy|rubbish|wrong|"
    r"inappropriate|unacceptable|not how it works|just an excuse)", r"\bcome on\b",
    r"\bdon't be (?:so|silly|ridiculous|daft)\b", r"\bhas (?:that|it|this) (?:really )?worked\b",
    r"\bhow(?:'s| is| has) that (?:working|worked) (?:out )?(?:for you)?", r"\bis that really\b",
    r"\byou can't (?:keep|be serious|just)\b", r"\bstop (?:being|making|blaming)\b",
    r"\byou(?:'re| are) wrong\b", r"\btransference\b", r"\bi think you'll find\b",
    r"\bbe honest with yourself\b", r"\bthat's (?:your|the) (?:problem|issue|anxiety|depression) "
    r"talking\b", r"\byou (?:always|never) (?:do|say|listen)\b", r"\bthat's on you\b",
    r"\bwith respect,? (?:you|that)\b", r"\bto be fair,? (?:the|it|you|that)\b",
    r"\bi (?:don't|do not) (?:believe|buy) (?:that|it|you)\b", r"\bseriously\?",
    r"\bthat's not (?:really )?(?:fine|a reason|how)\b", r"\bit's (?:basically|just|"
    r"literally) (?:what|an excuse|depression|laziness)\b", r"\bbasically what depression\b",
    r"\bwhy would (?:you|anyone)\b", r"\byou're overreacting\b", r"\bgrow up\b",
    r"\bstop (?:it|that)\b", r"\bshall we end here\b", r"\bmaybe you don't need therapy\b",
    r"\bto be fair\b", r"\byou should be (?:grateful|thankful|glad|ashamed|careful)\b",
    r"\b(?:is|are|was) never (?:ok|okay|acceptable|alright|all right|an excuse)\b",
    r"\byou(?:'d| would) be surprised\b", r"\bred flag\b", r"\bcat got your tongue\b",
    r"\b(?:would|do you think) (?:they|the people|your \w+|anyone) (?:close to you )?(?:would )?agree\b",
    r"\bdo you ever worry (?:you're|that you|you might)\b", r"\bbut is it (?:really )?(?:the|just)\b",
    r"\bstill,? (?:do you|don't you|isn't|wouldn't)\b",
    r"\bi'm (?:a|the) professional\b", r"\bit's (?:a )?pity\b", r"\byou can't be (?:\w+ing)\b",
    r"\bjust give me\b", r"\bi think you(?:'re| are) (?:being|just)\b")

#: Reassurance that answers for the client or waves the risk away (on suicide drills, not_met
#: even after a direct question: it tells the client which answer is wanted).
_DISMISSING = (
    r"\bi'm sure you(?:'re| are)? (?:not|wouldn't|would never|don't)\b",
    r"\b(?:so much|everything|a lot|plenty) to live for\b", r"\byou(?:'d| would) never\b",
    r"\byou don't (?:really )?mean (?:that|it)\b", r"\bdon't (?:say|talk like) that\b",
    r"\bof course (?:you're|you are) not\b")
MINIMISE = _rx(
    r"\bi'm sure\b", r"\bat least\b", r"\bdon't (?:worry|stress|fret|be sad|feel bad)\b",
    r"\b(?:it|everything|things|you)(?:'ll| will) (?:be|turn out|get) (?:fine|ok|okay|alright|"
    r"all right|better)\b", r"\bit(?:'ll| will) pass\b", r"\b(?:totally|completely|perfectly) "
    r"normal\b", r"\bbright side\b", r"\bcould be worse\b", r"\bhappens for a reason\b",
    r"\bit's (?:nothing|not (?:that|so) bad)\b", r"\bnot (?:a )?big deal\b", r"\bchin up\b",
    r"\bfresh start\b", r"\byou'll be (?:fine|ok|okay|alright)\b", r"\bnothing to worry\b",
    r"\bbaby blues\b", r"\bno need to (?:worry|be)\b", r"\bcheer up\b", r"\blook on\b",
    r"\bgive it (?:a bit of |some )?time\b", r"\bit'll feel like home\b", r"\bplenty of\b",
    r"\bloads of time\b", r"\bthey (?:probably )?(?:love|care about) you\b", r"\bi promise\b",
    r"\beveryone (?:feels|goes through|has)\b", r"\bit gets easier\b", r"\bworse things\b",
    *_DISMISSING)

VALIDATION = _rx(
    r"\bmakes? (?:total |complete |perfect |a lot of |so much |real )?sense\b",
    r"\bof course (?:you|you're|you'd|it|that)\b", r"\bno wonder\b", r"\bunderstandabl[ey]\b",
    r"\banyone (?:would|in your (?:shoes|position))\b", r"\bi can (?:see|understand) why\b",
    r"\bi get why\b", r"\bit's (?:natural|fair|reasonable|okay|ok|alright|human) (?:to|that)\b",
    r"\b(?:completely|totally|entirely) (?:fair|reasonable|valid|understandable)\b",
    r"\bthat's (?:a )?(?:fair|reasonable|valid)\b", r"\bvalid\b", r"\bwho wouldn't\b",
    r"\bgiven (?:what|everything|all|how|that)\b", r"\bafter (?:what|everything|all) (?:you've|"
    r"you have|that|he|she|they)\b", r"\bof course\b", r"\bhow could you not\b",
    r"\bmakes? sense (?:that|you)\b", r"\bi(?:'d| would) (?:be|feel) (?:\w+ )?(?:the same|too)\b",
    r"\bnot oversensitive\b", r"^not (?:\w+ )?(?:awful|silly|stupid|weak|ridiculous|dramatic|pathetic|mad|crazy)\b", r"\b(?:a lot|too much|hard|heavy) for anyone\b",
    r"\breasonabl[ey]\b", r"\bkept you (?:safe|going|alive)\b",
    r"\bway of (?:surviving|coping|protecting|keeping)\b", r"\bhuman\b",
    r"\bno deadline\b", r"\bbecause (?:it|that|he|she|they|you) (?:still )?(?:hurts|hurt|"
    r"matters|mattered|loved|cared)\b", r"\bwhy (?:you'd|you would|it) (?:feel|be|want|"
    r"question)\b", r"\bnot (?:being )?(?:silly|stupid|weak|dramatic)\b")

NORMALIZE = _rx(
    r"\b(?:many|lots of|a lot of|most|plenty of|so many) (?:people|parents|mums|dads|carers|"
    r"students|families|of us|others)\b", r"\b(?:very |really |so |pretty )?common\b",
    r"\b(?:totally |completely |perfectly |very )?normal\b", r"\byou're (?:not|far from) (?:the "
    r"only|alone)\b", r"\bhappens to (?:lots|many|a lot|most)\b", r"\beveryone (?:feels|does|gets)\b")

SEEK_PERMISSION = _rx(
    r"\bwould it (?:help|be (?:ok|okay|alright|all right|useful|helpful))(?! to (?!hear|know|talk|think|go through|look at (?:some|a few)))\b",
    r"\bwould (?:you|it) (?:like|want|be useful|find it useful)\b.*\b(?:hear|share|ideas|"
    r"information|options|tell you|suggest|me to|some)\b", r"\bwould you like (?:me|some|to hear|a |"
    r"to (?:look|go|think|talk))\b", r"\b(?:can|could|may) i (?:share|suggest|offer|tell you|"
    r"give you|mention|add|say)\b", r"\bis it (?:ok|okay|alright|all right) (?:if|with you)\b",
    r"\bdo you want (?:me|some|to hear|ideas|my)\b", r"\bshall i\b",
    r"\bbefore i (?:jump|say|share|suggest|give|offer|throw)\b",
    r"\bwhat (?:have you|do you) (?:already )?(?:thought|think|tried|know|reckon)\b",
    r"\bwhat ideas\b", r"\bwould you be (?:open|up for|interested)\b", r"\bdo you mind if\b",
    r"\bare you (?:ok|okay|happy) (?:with|if|for)\b", r"\bhow would you like (?:to|me)\b",
    r"\bwhat (?:are you|is) (?:leaning|drawing you|your sense|your own)\b",
    r"\bwhat (?:would|do) you (?:want|like|prefer|need)\b", r"\bwhere do you (?:want|"
    r"(?:even )?start)\b", r"\bwhat(?:'s| is) (?:your|drawing)\b", r"\bwhat do you make of\b",
    r"\bhappy to (?:share|go through|think|look)\b", r"\bif you(?:'d| would) like\b",
    r"\bis it more (?:like|that)\b", r"\bwhat (?:kind|sort) of\b.*\b(?:would you|do you want)\b",
    r"\bwhich (?:would|do) you\b")

AUTONOMY = _rx(
    r"(?<!end )(?<!ending )(?<!take )(?<!taking )(?<!with )\byour (?:choice|decision|call|life|body|pace|terms)\b",
    r"\bup to you\b",
    r"\byou(?:'re| are) the (?:best judge|expert|one (?:who|that) (?:gets|decides|knows|"
    r"chooses))\b", r"\byou (?:decide|choose|get to (?:pick|choose|decide|say))\b",
    r"\bonly you\b", r"\bwhatever you (?:decide|choose)\b", r"\bin (?:charge|control)\b",
    r"\byou know (?:yourself|your \w+|best)\b", r"\bno pressure\b",
    r"\b(?:we|you) don't (?:have|need) to\b", r"\bwe can (?:leave|stop|park|skip|pause|come back|take (?:it|this|our))\b",
    r"\b(?:if|when) you(?:'re| are) ready\b", r"\bthe expert on you\b",
    r"\bif you(?:'d| would) rather (?:not|we)\b", r"\bit's (?:yours|completely yours|entirely "
    r"yours)\b", r"\byou(?:'re| are) (?:free|welcome) to\b", r"\bi'll (?:go|follow|fit in) "
    r"(?:with|your)\b", r"\bwhat (?:you|feels right to you)\b.*\bdecide\b",
    r"\b(?:entirely|totally|completely) (?:up to|your)\b", r"\bat your own\b",
    r"\byou can (?:say no|stop|tell me|change your mind)\b")

EXPLAIN_PROCESS = _rx(
    r"\bthe reason (?:i|we)\b", r"\bi ask (?:everyone|because|this|about)\b",
    r"\b(?:i|we) (?:ask|do|use|fill|keep|write) (?:this|these|that|it|them|the \w+) "
    r"(?:because|so|to)\b", r"\bhere's (?:why|how|what)\b", r"\b(?:the way|how) (?:it|this|therapy) "
    r"works\b", r"\bit's there (?:to|so|because)\b", r"\bit helps (?:me|us) (?:to )?\b",
    r"\bso that (?:i|we) can\b", r"\bwhat happens (?:is|next|in|if|when)\b",
    r"\b(?:notes|records?|questionnaire|form|scores?|supervision|assessment|session|sessions|"
    r"therapy|report|letter|research|referral|recording|data|information)\b.*\b(?:because|so "
    r"(?:that|i|we|you)|means|goes|is (?:for|there|used)|are (?:for|there|used)|helps?|kept|stored|"
    r"shared|see|sees|read)\b", r"\bsupervision (?:means|is)\b", r"\bwhy i (?:asked|ask|said|do)\b",
    r"\bonly (?:i|me|your gp|the team|my supervisor)\b.*\b(?:see|read|access|hear)\b",
    r"\bonly (?:my supervisor|me|i|you and me)\b", r"\bsome people find\b",
    r"\bbecause\b", r"\blet me (?:explain|tell you (?:exactly|how|what|who))\b",
    r"\b(?:said|say|explain) (?:why|how|what)\b", r"\bmy thinking\b",
    r"\bi need to explain\b", r"\bhow i (?:work|handle)\b", r"\bwho sees what\b",
    r"\bwhat(?:'s| is| gets) (?:shared|removed|kept)\b", r"\bwhen we\b.*\busually\b", r"\bi (?:should|can|could|want to|'d like to) "
    r"(?:explain|say why|tell you why)\b", r"\bwe(?:'ll| will) (?:start|review|look|work|agree|"
    r"meet|go through)\b", r"\bit's (?:a|an|not a|only|just) (?:\w+ ){0,4}(?:map|picture|way|"
    r"tool|question|diagnosis|for|form)\b", r"\bi (?:write|jot|take|keep|leave|use|record|"
    r"asked|suggested|ask) (?:\w+ ){0,4}(?:so|to|because|when)\b",
    r"\b(?:my|the) (?:clinic|service|team|job|role)\b", r"\bwe (?:remove|anonymi[sz]e)\b",
    r"\bthe only time\b", r"\bunless\b", r"\bi(?:'m| am) (?:asking|doing) (?:this|that) "
    r"(?:because|so)\b", r"\bthe (?:idea|point|aim) (?:is|of)\b", r"\bpart of (?:how|what|the)\b")

METACOMM = _rx(
    r"\byou(?:'ve| have)? (?:went|gone|seem|seemed|got|go|going) (?:a bit |really |very )?"
    r"(?:quiet|quieter|flat|shorter|distant)\b", r"\bi (?:notice|noticed|noticing|sense|sensed)\b",
    r"\bi(?:'m| am) (?:noticing|sensing|aware|wondering if i|wondering whether i)\b",
    r"\b(?:just )?now\b.*\b(?:you|we|i)\b.*\b(?:said|went|seemed|changed)\b",
    r"\bbetween (?:us|you and me)\b", r"\bin here\b", r"\bwhat just happened\b",
    r"\bhow (?:that|this|it|what i said) (?:landed|came across|sat with you|felt)\b",
    r"\bwhen i (?:said|asked|suggested|mentioned)\b", r"\bi wonder if (?:i|what i|my|that "
    r"question|we)\b", r"\bi(?:'ve| have) been (?:pushing|doing|playing|going|asking|talking)\b",
    r"\bthis (?:conversation|session|work|room)\b", r"\bthat sounded (?:like|a bit|pretty)\b", r"\bhow we(?:'re| are) (?:doing|working|"
    r"getting on)\b", r"\b(?:our|these) sessions\b", r"\bsomething (?:i said|shifted|changed)\b",
    r"\bi'm (?:missing|getting) something\b", r"\bdid (?:that|i|something)\b.*\b(?:land|"
    r"upset|miss|wrong)\b", r"\bi get the sense\b", r"\bhow is (?:this|it) (?:for you|going)\b",
    r"\b(?:talking|working) (?:with|to) me\b", r"\bme and you\b",
    r"\b(?:that|it) was (?:too (?:big|much|fast|soon)|a lot to ask|clumsy)\b",
    r"\bi (?:may|might) have (?:put|pushed|asked|rushed|jumped)\b", r"\bput that clumsily\b",
    r"\bi'm not here to (?:mark|judge|tell you off)\b", r"\byour time,? not mine\b",
    r"\bwe moved (?:off|on|past)\b", r"\bmake it sound fine\b", r"\bkeep it light\b")

REPAIR = _rx(
    r"\byou(?:'re| are) (?:right|absolutely right|quite right)\b", r"^sorry\b",
    r"\bi could be wrong\b", r"\bi'd (?:much )?rather (?:know|hear)\b", r"\bfair (?:point|"
    r"question|enough|cop|comment)\b", r"\bi(?:'m| am) (?:really |so )?sorry\b", r"\bapologi[sz]e\b",
    r"\bmy (?:fault|mistake|bad)\b", r"\bi (?:jumped|pushed|rushed|missed|got (?:that|it) wrong|"
    r"went too fast|haven't been|didn't)\b", r"\bthank(?:s| you) for (?:telling|saying|being "
    r"(?:honest|straight)|letting me know|pointing)\b", r"\bwhat would (?:you rather|be more "
    r"(?:helpful|useful)|help (?:more|you most)|you prefer|you want)\b",
    r"\blet's (?:change|try something|drop|put (?:that|it|this) (?:aside|down)|do (?:it|this) "
    r"differently|leave (?:that|it|the))\b", r"\boff the table\b", r"\b(?:glad|pleased) you "
    r"(?:said|told|raised|asked|mentioned)\b", r"\bwhat did i miss\b", r"\btell me what you(?:'d| "
    r"would) (?:want|need|rather|like)\b", r"\bi can see why (?:it|that|this) (?:felt|feels)\b",
    r"\bthat's (?:on me|important to hear|really useful|helpful to (?:know|hear))\b",
    r"\bi(?:'d| would) (?:rather|like to) (?:know|hear|understand)\b", r"\bchange (?:things|tack|"
    r"course|it) up\b", r"\bshall we (?:change|try|do something)\b", r"\bi hear (?:you|that)\b",
    r"\bwe can (?:leave|drop|stop|change|do it|go at)\b", r"\bwhat (?:was|is) (?:it|that) like "
    r"(?:for you )?(?:when|in here)\b", r"\bi'd like to get (?:it|this) right\b")

SELF_DISCLOSURE = _rx(
    r"\bmy (?:own )?(?:mum|mom|mother|dad|father|wife|husband|partner|kids?|son|daughter|"
    r"brother|sister|family|friend|gran|nan|grandmother|grandfather|faith|church|religion)\b",
    r"\bi (?:had|went through|used to|grew up|lost my|was (?:also|once)|myself)\b",
    r"\bwhen i was (?:a|your|young|at)\b", r"\bme too\b", r"\bsame here\b",
    r"\bi(?:'ve| have) (?:had|been through|struggled|lost)\b", r"\bi(?:'m| am) (?:also|a|an) "
    r"(?:\w+ )?(?:christian|muslim|jew|catholic|parent|mum|dad|white|black|gay|atheist|british)\b",
    r"\bi(?:'d| would) (?:have )?(?:be|feel|have) (?:gutted|furious|the same|shouted|done the "
    r"same)\b", r"\bid be gutted\b")

BOUNDARY = _rx(
    r"\bi (?:don't|do not|can't|cannot|won't|am not able to|'m not able to) (?:give|share|accept|"
    r"take|do|add|follow|connect|be friends|date|see you|go|meet|use|text|message|keep "
    r"(?:secrets|that)|promise)\b", r"\bi(?:'m| am) not able to\b", r"\bmy (?:personal |own )?"
    r"(?:number|mobile|phone|facebook|instagram|social media)\b",
    r"\b(?:accept|take) (?:gifts?|presents?|something (?:so )?valuable)\b", r"\bpolicy\b",
    r"\bthe rules?\b", r"\b(?:our|this|the) relationship (?:will|is|has to|needs to|can only|"
    r"stays?|would)\b", r"\bprofessional\b", r"\bwe(?:'re| are) (?:out of|over|almost at|nearly "
    r"at|at) time\b", r"\b(?:out of|over) time\b", r"\bwe(?:'ll| will) have to (?:stop|leave|"
    r"finish)\b", r"\b(?:end|stop|leave it|finish) (?:here|there)\b",
    r"\b(?:start|pick (?:it|this|that) up|come back to (?:it|this|that)|begin) (?:with it )?"
    r"(?:next|at the start)\b", r"\bnext (?:week|session|time)\b", r"\bconfidential\w*\b",
    r"\bcrisis (?:line|team|number)\b", r"\bsecure (?:system|email|messag\w+)\b",
    r"\blimits?\b", r"\bi keep (?:that|this|the|a) (?:line|boundary)\b", r"\bboundar\w+\b",
    r"\bonly ever be a therapy\b", r"\b(?:can't|cannot|won't) be (?:friends|in touch)\b",
    r"\bi(?:'m| am) going to say no\b", r"\b(?:have|need) to (?:tell|share|pass|report|let)\b",
    r"\bfifty minutes\b", r"\bi'd have to (?:tell|share|pass|let)\b",
    r"^(?:thanks,? (?:but )?no|we can't|i can't|no,? sorry|sorry,? (?:but )?no|"
    r"i'm afraid (?:i|we) can't)\b")

SAFETY = _rx(
    r"\b(?:keep|keeping|stay|staying|be) (?:you )?safe\b", r"\bsafety plan\w*\b",
    r"\bcrisis (?:line|team|number|service)\b", r"\bsamaritans\b", r"\b(?:111|999|911|988|116 123)\b",
    r"\b(?:tablets|pills|means|rope|medication|medicine|knife|knives|gun)\b.*\b(?:somewhere|away|"
    r"out of|lock|someone else|hold|keep|get rid|hand)\b", r"\bwho (?:could|can|would) you "
    r"(?:call|contact|ring|text|be with|reach)\b", r"\b(?:on your own|alone)\b.*\btonight\b",
    r"\bget (?:you )?through (?:tonight|the night)\b", r"\ba&e\b", r"\bemergency\b",
    r"\bright now\b.*\b(?:safe|plan)\b", r"\b(?:distance|space) between you and\b",
    r"\b(?:lock|locked) (?:it|them|the \w+) (?:up|away)\b", r"\bstay with (?:you|me)\b", r"\bplan\b.*\b(?:tonight|"
    r"safe|next few)\b", r"\bwhat (?:has|would|could) (?:helped?|help|kept) you (?:safe|going)\b",
    r"\bwhat's (?:stopped|kept) you\b", r"\bsafe (?:tonight|right now|at the moment)\b")

ASKS_SUICIDE = re.compile(r"\b(?:" + _SUICIDE_TOPIC + r"|a plan\b|the plan\b|"
                          r"tablets|pills|means to|(?:decided|thought) (?:on|about) (?:a|the) (?:day|time|date|way)|"
                          r"a day or a time|when you (?:would|might|plan))",
                          re.IGNORECASE)

#: Asking about the plan, the method or the means without naming suicide ("Have you thought
#: about how you would do it?"): asking about suicide only where the moment is about it.
ASKS_PLAN = _rx(
    r"\bhow (?:you(?:'d| would| might| could| will)?|you're going to|you plan to) (?:do it|end it|"
    r"go about it|take|kill|hurt|harm)\b", r"\b(?:a|any|the) (?:method|way to do it)\b",
    r"\bwhen you (?:would|might|'d|plan to|will) do it\b", r"\bwhat you(?:'d| would) use\b",
    r"\b(?:got|have|get) (?:hold of|access to) (?:anything|something|the means|pills|tablets)\b",
    r"\b(?:a|any) plan\b", r"\bthought about (?:how|when|where)\b.*\b(?:do it|end|die)\b")
#: Answering a risk question for the client ("I'm sure you're not"): it shuts the door.
DISMISS_RISK = _rx(*_DISMISSING)
#: Putting the risk off once it is raised (suicide drills: not_met, "let's pick that up next
#: week"); "for now" and "next week" alone are not enough (a safety plan runs to next week).
DEFER = _rx(
    r"\b(?:pick|come back to|return to|talk about|talk more about|go into|get into|look at|discuss|"
    r"leave|save|park|deal with|follow (?:that|this|it) up) (?:that|this|it|all that)(?: \w+){0,3} "
    r"(?:next (?:week|time|session)|later|another (?:time|day)|some other time|on (?:monday|"
    r"tuesday|wednesday|thursday|friday)|when we (?:next )?meet)\b",
    r"\b(?:talk|talks|talked) about (?:\w+ )?(?:next (?:week|session|time)|later)\b",
    r"\bout of time\b(?![^.?!]*\b(?:but|safe|plan|before you (?:go|leave))\b)",
    r"\blet's not (?:talk|go|get|dwell|focus|think)\b", r"\b(?:tell me|let's talk|talk to me) about "
    r"(?:work|school|your (?:week|job|weekend|day)|something else)\b", r"\bmoving on\b",
    r"\b(?:change|changing) the subject\b", r"\banyway\b")
#: Threatening a client who says they are at risk (suicide drills: R1, "panics or threatens").
THREAT = _rx(
    r"\b(?:i'll|i will|i'd|i would|i'm going to|i am going to|i'll have to|i have to) (?:have to )?"
    r"(?:call|ring|phone|get|tell) the police\b", r"\bhave you (?:sectioned|locked up|arrested)\b",
    r"\bsection you\b", r"\byou(?:'ll| will) (?:be|get) (?:sectioned|locked up|arrested)\b",
    r"\block you up\b", r"\bif (?:so|you are|you do),? (?:i'll|i will|i have to)\b.*\b(?:police|"
    r"section\w*|hospital|lock\w*)\b")
#: Shaming and labelling the client (confront, R1); checked with the sentence's words before
#: it, so the client's own self-criticism reflected back is not shaming (see :func:`shames`).
SHAME = _rx(
    r"\b(?:selfish|cowardly|coward|ungrateful|pathetic|attention.seeking|spoilt|lazy|"
    r"irresponsible|weak.willed)\b",
    r"\b(?:terrible|bad|awful|useless|rubbish|lousy|horrible|crap|poor) (?:mother|mum|mom|"
    r"father|dad|parent|person|wife|husband|partner|friend|son|daughter|carer)\b",
    r"\bnot (?:trying|doing|working) (?:\w+ )?(?:hard )?enough\b",
    r"\b(?:is|'s|was|are|'re) (?:just |simply |still )?not (?:good )?enough\b",
    r"\b(?:only have yourself|yourself) to blame\b", r"\byour (?:own )?fault\b",
    r"\bshame on you\b", r"\bpull yourself together\b", r"\bman up\b",
    r"\b(?:just|you need to|you've got to|you have to) get over it\b")
#: Words before a shaming word that make it the client's own view, or deny it.
_NOT_SHAMING = re.compile(
    r"n't\b|\b(?:not|never|no|nothing|nobody|feel|feels|felt|feeling|worr\w*|afraid|scared|fear\w*|"
    r"as if|as though|part of you|tell yourself|telling yourself|voice|wonder\w*|believe|"
    r"call(?:ing)? yourself|says|said|told you|tells you|beat(?:ing)? yourself|think(?:ing)? "
    r"(?:you're|you are|of yourself))\b")
#: "...though" at the end: a correction ("That's not how it works though."), unless that
#: last sentence is itself a suggestion (then it is advice, R2)...
_TRAILING_THOUGH = re.compile(r"\bthough[.!]?$")
#: ...nor when it invites more ("I'd love to hear what you hoped it would say, though.").
_INVITES_MORE = re.compile(r"\bi(?:'d| would) (?:really )?(?:love|like) to (?:hear|know|understand)\b")

TOPIC_CHANGE = _rx(
    r"^(?:ok(?:ay)?|right|so|anyway|alright|well|good|fine|sure)?[,.!]? ?let's (?:talk about|get "
    r"back|do|move|go back|look at|start|focus on (?:your|the)|crack on|stick to|keep going|"
    r"return)", r"^(?:ok(?:ay)?|right|anyway|so)[,.!]? (?:and )?(?:how(?:'s| is| are| was| "
    r"have)|what about|did you|have you been)\b", r"\banyway\b", r"\bmoving on\b", r"\bjust one more\b",
    r"\bbefore we start\b", r"\bback to (?:your|the)\b", r"\b(?:your|the) (?:goals|sleep diary|"
    r"mood score|homework|record)\b", r"\blet's not (?:worry|go|get)\b",
    r"^how(?:'s| is| are| has) (?:work|things|the|your)\b", r"\bhow have you been sleeping\b",
    r"^(?:ok(?:ay)?|right|alright|good|great)[,.!]? (?:and |so |then )?(?:how|what|did|have|are|is|let's)\b",
    r"\b(?:before we (?:start|begin)|at time|we're at time|out of time)\b",
    r"\bhow(?:'s| is| was| has) your (?:week|weekend|wife|husband|mum|dad|job|sister|brother)\b",
    r"\b(?:goals for therapy|today's session|mood score|sleep pattern|consent form|questionnaire)\b",
    r"\bpick (?:that|this|it) up next\b", r"\bnext (?:week|session)\b")

FEELING = _rx(
    r"\b(?:feel\w*|felt|hurt\w*|lonely|alone|scared|afraid|frightened|fright\w*|terrif\w*|angry|"
    r"anger|furious|sad|sadness|grief|griev\w*|stung|sting\w*|ashamed|shame|embarrass\w*|"
    r"humiliat\w*|guilt\w*|exhaust\w*|worn|tired|drain\w*|overwhelm\w*|crush\w*|heartbreak\w*|"
    r"heartbroken|gutted|devastat\w*|anxious|anxiety|worr\w*|nervous|dread\w*|panic\w*|"
    r"frustrat\w*|resent\w*|betray\w*|rejected|invisible|abandon\w*|trapped|stuck|helpless|"
    r"hopeless|desperat\w*|relie\w*|proud|loss|lost|miss\w*|empty|numb|torn|pulled|confus\w*|"
    r"upset\w*|unfair|fed up|disappoint\w*|hard|tough|brutal|awful|painful|pain|heavy|weigh\w*|"
    r"raw|jolt|dropped|discarded|left out|pushed out|unwanted|matter|cared|fragile|ambivalen\w*|"
    r"part of you|both|at the same time|torn|as if|as though|like you|cut deep|count|shame|"
    r"annoy\w*|loss|wearing|dig in|easier|safe|on alert|judged|flat|unsure|not sure|"
    r"uncomfortable|awkward|nagged|unfair|surviv\w*|strength|real|meant|invisible|"
    r"rubbish|jealous\w*|envy|bitter\w*|insult\w*|lonel\w*|isolat\w*|pressure|"
    r"stress\w*|burden|carry\w*|alone)\b")
REFLECT_STEM = _rx(
    r"\b(?:it |that )?sounds? (?:like|as if|as though|really|so|incredibly|pretty|very|awful|"
    r"hard|painful|lonely|exhausting|frightening|heavy|rough|draining|crushing|tough)\b",
    r"\bseems? (?:like|as if|that)\b", r"\bi(?:'m| am) (?:guessing|hearing|imagining|sensing)\b",
    r"\bi hear (?:that|how|you|a lot|something)\b", r"\bi wonder if (?:you|part|it|that)\b",
    r"\byou(?:'re| are) (?:feeling|saying|really|so|worried|scared|torn|caught|stuck|carrying|"
    r"holding|describing|standing|left|wondering|not sure|in|still)\b",
    r"\byou (?:feel|felt|love|want|wanted|miss|hate|don't want|wish|can't|care|worry|still|"
    r"gave|didn't|had|were|did|keep|know|said|mean|really)\b",
    r"\bpart of you\b", r"\bmust (?:have )?(?:be|been|feel|felt|hurt|sting)\b",
    r"\bthere's (?:real|a lot of|so much|some) \w+\b", r"\bfor you,? (?:it's|it|this)\b",
    r"\b(?:it's|that's) (?:become|been|a real|a lot|the thing|one of)\b",
    r"\bfrom where you\b", r"\b(?:so|and) (?:stopping|giving|changing|leaving|quitting)\b",
    r"\bit's not (?:just|only|about)\b", r"\bon (?:the )?one hand\b", r"\bso (?:you|it's|that)\b",
    r"^(?:after|being|losing|finding|having|pouring|loving|hiding|twenty|forty|four|three|every)\b")
BARE_PRAISE = _rx(r"^(?:oh,? )?(?:great|good|well done|amazing|brilliant|love that|nice|"
                  r"fantastic|awesome|wow|excellent|that's (?:great|good|amazing|brilliant|"
                  r"fantastic|awesome|lovely|nice)|good (?:job|for you|stuff|on you))[.! ]*$")
AFFIRM = _rx(
    r"\b(?:still|you) managed\b", r"\bchoosing\b",
    r"\b(?:took|takes|taking|taken) (?:real |a lot of |so much |some |real )?(?:courage|guts|"
    r"determination|strength|bravery|commitment|honesty|effort|nerve|a lot)\b",
    r"\b(?:shows?|showed|showing|says (?:a lot|something)) (?:real |a lot |how much |what |"
    r"about |that you|you)", r"\bthat says a lot\b", r"\breal (?:strength|determination|guts|"
    r"courage|commitment|act|care|follow.through|resilience|persistence)\b",
    r"\byou (?:managed|stuck|kept|didn't give up|chose|did (?:exactly|what you)|"
    r"held|followed through|got (?:the kids|yourself|through)|owned|were the one|didn't let)\b",
    r"\b(?:brave|courageous|determined|resilient|resourceful|committed|strong|persistent|"
    r"caring|honest|thoughtful|generous)\b", r"\b(?:credit|proud) (?:to|of) you\b",
    r"\bit takes\b", r"\b(?:massive|huge|big|not a small|no small|real) (?:step|thing|deal|"
    r"achievement|effort)\b", r"\bfollow.through\b", r"\bthat kind of\b", r"\bacross\b.*\btrust\b")
QUESTION_OPEN_START = re.compile(
    r"^(?:(?:and|so|but|ok(?:ay)?|right|well|i wonder|i'm curious|can you|could you|would you)"
    r",? )*(?:what|how|why|tell me|walk me|in what way|where do|which|talk me|say more|"
    r"can you (?:say|tell)|could you (?:say|tell)|would you (?:say|tell|walk))", re.IGNORECASE)


@dataclass(frozen=True)
class Hit:
    code: str
    evidence: str


def _first(pattern: re.Pattern[str], text: str) -> str | None:
    m = pattern.search(text)
    return m.group(0) if m else None


def advice_hits(text: str) -> str | None:
    """The first words that give advice or an instruction, or None (recall-first)."""
    norm = normalise(text)
    found = _first(ADVICE, norm)
    if found:
        return found
    for sentence in sentences(norm):
        if IMPERATIVE.match(sentence) and not NOT_ADVICE.match(sentence):
            return sentence[:40]
    return None


def question_kinds(text: str) -> tuple[bool, bool]:
    """(has an open question, has a closed question), sentence by sentence."""
    open_q = closed_q = False
    for sentence in sentences(normalise(text)):
        if not sentence.endswith("?"):
            continue
        if QUESTION_OPEN_START.match(sentence) or re.search(r"\b(?:what|how)\b(?! about)",
                                                            sentence.split(",")[-1]):
            open_q = True
        else:
            closed_q = True
    return open_q, closed_q


def rule_hits(text: str) -> list[Hit]:
    """Every practice code the wording alone shows, with the words that showed it."""
    norm = normalise(text)
    hits = []
    confront = confronts(text)
    if confront:
        hits.append(Hit("confront", confront))
    for code, pattern in (("persuade", PERSUADE),
                          ("minimise_or_reassure", MINIMISE), ("validation", VALIDATION),
                          ("normalize", NORMALIZE), ("seek_permission", SEEK_PERMISSION),
                          ("emphasize_autonomy", AUTONOMY), ("explain_process", EXPLAIN_PROCESS),
                          ("metacommunication", METACOMM), ("repair", REPAIR),
                          ("self_disclosure", SELF_DISCLOSURE),
                          ("boundary_statement", BOUNDARY), ("safety_planning", SAFETY),
                          ("affirm", AFFIRM)):
        found = _first(pattern, norm)
        if found:
            hits.append(Hit(code, found))
    advice = advice_hits(text)
    if advice:
        hits.append(Hit("advice_without_permission", advice))
    return hits


def shames(text: str) -> str | None:
    """Words that shame or label the client, unless the sentence frames them as the client's
    own fear or denies them ("You feel like a terrible mother", "It's not selfish")."""
    for sentence in sentences(normalise(text)):
        for m in SHAME.finditer(sentence):
            if not _NOT_SHAMING.search(sentence[:m.start()]):
                return m.group(0)
    return None


def confronts(text: str) -> str | None:
    """Words that correct, label, shame or doubt the client from above (``confront``)."""
    norm = normalise(text)
    found = _first(CONFRONT, norm) or shames(text)
    if found:
        return found
    parts = sentences(norm)
    if parts and _TRAILING_THOUGH.search(norm.rstrip()) and not (
            _first(ADVICE, parts[-1]) or IMPERATIVE.match(parts[-1])
            or _INVITES_MORE.search(parts[-1])):
        return "though"
    return None


def threatens(text: str) -> str | None:
    """A threat made to a client at risk (the police, sectioning)."""
    return _first(THREAT, normalise(text))


def dismisses_risk(text: str) -> str | None:
    """Words that answer a risk question for the client or wave it away."""
    return _first(DISMISS_RISK, normalise(text))


def defers(text: str) -> str | None:
    """Words that put the risk off to another time or topic."""
    return _first(DEFER, normalise(text))


def without_repeats(text: str) -> str:
    """``text`` with each sentence said again (same words, any case or punctuation) left out:
    the codebook does not reward length, so saying it twice is judged as saying it once."""
    seen: set[str] = set()
    kept: list[str] = []
    for sentence in sentences(text):
        key = " ".join(re.findall(r"[\w']+", normalise(sentence)))
        if key and key in seen:
            continue
        seen.add(key)
        kept.append(sentence)
    return text if len(kept) == len(sentences(text)) else " ".join(kept)


def feeling_words(text: str) -> str | None:
    return _first(FEELING, normalise(text))


def reflection_stem(text: str) -> str | None:
    return _first(REFLECT_STEM, normalise(text))


def is_bare_praise(text: str) -> bool:
    return bool(BARE_PRAISE.match(normalise(text).strip()))


def topic_change(text: str) -> str | None:
    return _first(TOPIC_CHANGE, normalise(text).strip())


def asks_suicide(text: str, *, about_risk: bool = False) -> str | None:
    """Words of a direct question about suicide, a plan or the means: in a question, or
    named in the reply and then asked about ("...start thinking about ending their life.
    Is that where you are?"). ``about_risk``: the moment is about suicide, so a question
    about the plan or method without the word ("Have you thought about how you would do
    it?") asks about it too."""
    parts = sentences(normalise(text))
    if parts and parts[-1].endswith("?"):
        named = [s for s in parts[:-1] if _first(ASKS_SUICIDE, s)]
        if named and re.search(r"\b(?:you|your)\b", parts[-1]):
            return _first(ASKS_SUICIDE, named[-1])
    for sentence in parts:
        if sentence.endswith("?") or re.match(r"^(?:i need to ask|i want to ask|can i ask|"
                                              r"i have to ask|i'm going to ask)", sentence):
            found = _first(ASKS_SUICIDE, sentence) or (
                _first(ASKS_PLAN, sentence) if about_risk else None)
            if found:
                return found
    return None
