"""Words that carry no topic, per language, in folded form (no diacritics, е for ё).

Besides function words, the modal verbs of a request ("vajag", "нужно", "ko darīt", "что делать")
and greetings are here: nearly every message has one, and in a small corpus their rare stems
would look like topics. So are the words for one's son or daughter: they say who asks about
whom, not what about ("meitai ir depresija" is about depression, not about daughters).
"""

from __future__ import annotations

from bot.knowledge.search.normalize import fold

_LV = """
a ak ap ar ari arī aiz bet bez bija bijis bijusi bus būs but būt caur cik citi dēļ es gan ik ir
ja jā jau jeb jo jums jūs jus ka kā kad kam kamēr kas ko kopš kur kura kuras kuri kurs kurš kuru
lai līdz man mani mans mana manu manam manai manas mēs mums mūs mūsu ne nav nu no pa par pat
pie pēc pret pirms reiz sev savs sava savu savas šis šī šo šie šīs ta tā tad tagad tai tas tās
te tie to tu tur un uz vai var varu vel vēl viņa viņas viņš viņi viņu viņam viņai vien vienmēr
arī tikai ļoti tāpēc tomēr kāds kāda kādi kādu kādas kādā jebkurš
vajag vajadzētu vajadzīgs vajadzīga vajadzīgi vajadzīgas darīt jādara varētu drīkst lūdzu
sveiki sveiks labdien labrīt labvakar čau paldies atvainojiet
dēls dēla dēlam dēlu dēlā dēli dēliņš dēliņam dēliņu meita meitas meitai meitu meitā meitiņa
meitiņai meitiņu meitiņas puika puikam puiku
"""

_RU = """
а без бы был была были было быть в вам вас ведь весь во вот все всё всех вы где да даже для
до его ее её ей ему если есть еще ещё же за здесь и из или им их к как какая какие какой
когда кто ли либо мне меня мной мой моя моё мое мои моего моей моему мою мы на нам нас наш
наша наши не него нее неё нет ни них но ну о об однако он она они оно от по под при про
с со так также там тебе тебя то тогда того тоже той только том ты у уже хотя чего чей чем
через что чтобы чья чьё это этого этой этом эту эти этот я ваш ваша ваши сам сама сами себе
себя свой своя свои свою своего своей такое такая такие таким
нужен нужна нужно нужны надо можно делать сделать могу может пожалуйста
привет здравствуйте здравствуй добрый спасибо извините
сын сына сыну сыном сыне сынок сынишка дочь дочери дочерью дочка дочки дочку дочке дочкой
"""

STOPWORDS: dict[str, frozenset[str]] = {
    "lv": frozenset(fold(w) for w in _LV.split()),
    "ru": frozenset(fold(w) for w in _RU.split()),
}
