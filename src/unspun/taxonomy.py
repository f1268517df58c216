"""The label sets unspun speaks: persuasion techniques, frames and genres.

Label strings are exactly those of SemEval-2023 Task 3 (``labels/`` in its data), so
predictions can be scored with the official formats. Definitions and examples are written
in-house; the examples are invented sentences, not quotations.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Technique:
    name: str
    category: str
    definition: str
    example: str


@dataclass(frozen=True)
class Frame:
    name: str
    definition: str
    example: str


@dataclass(frozen=True)
class Genre:
    name: str
    definition: str
    example: str


CATEGORIES: tuple[str, ...] = (
    "Attack on Reputation",
    "Justification",
    "Simplification",
    "Distraction",
    "Call",
    "Manipulative Wording",
)

_T = Technique
TECHNIQUES: dict[str, Technique] = {
    t.name: t
    for t in [
        # Attack on Reputation
        _T(
            "Name_Calling-Labeling",
            "Attack on Reputation",
            "Attaches a loaded label to a person or group so the audience judges them by the label instead of their actions.",
            "The mayor's gang of bureaucrats has struck again.",
        ),
        _T(
            "Guilt_by_Association",
            "Attack on Reputation",
            "Discredits a target by linking it to a person, group or idea the audience already despises.",
            "The same slogan was once painted on the walls by the old dictatorship's youth wing.",
        ),
        _T(
            "Doubt",
            "Attack on Reputation",
            "Questions the credibility, competence or motives of someone without supporting evidence.",
            "Can we really trust a minister who has never run anything bigger than a bakery?",
        ),
        _T(
            "Appeal_to_Hypocrisy",
            "Attack on Reputation",
            "Discredits a position by accusing its holder of inconsistency instead of answering it.",
            "They lecture us about emissions while flying to every summit in private jets.",
        ),
        _T(
            "Questioning_the_Reputation",
            "Attack on Reputation",
            "Undermines the character or standing of a target with negative claims unrelated to the argument at hand.",
            "This is the same council that lost a school's roof money last year.",
        ),
        # Justification
        _T(
            "Flag_Waving",
            "Justification",
            "Justifies an idea by appeal to group pride or identity (nation, party, faith) instead of its merits.",
            "Every true patriot of Varnland will support the new harbour tax.",
        ),
        _T(
            "Appeal_to_Authority",
            "Justification",
            "Presents a claim as true simply because an authority or expert said it, without further support.",
            "A famous professor has said the plan cannot fail, so the debate is over.",
        ),
        _T(
            "Appeal_to_Popularity",
            "Justification",
            "Argues that a claim is right or an action wise because many people believe or do it.",
            "Millions have already switched to the new diet, so it must work.",
        ),
        _T(
            "Appeal_to_Values",
            "Justification",
            "Links an idea to values the audience holds dear (freedom, tradition, fairness) to win approval.",
            "Protecting our forests is about the honesty and decency our grandparents taught us.",
        ),
        _T(
            "Appeal_to_Fear-Prejudice",
            "Justification",
            "Builds support by stirring fear or prejudice about what will happen otherwise.",
            "If this bridge is built, criminals from across the river will pour into our streets.",
        ),
        # Simplification
        _T(
            "Causal_Oversimplification",
            "Simplification",
            "Assigns a complex outcome to a single cause while ignoring others.",
            "Prices went up because of one bad decision by the new governor.",
        ),
        _T(
            "False_Dilemma-No_Choice",
            "Simplification",
            "Presents two options as the only possibilities when more exist, or presents one path as the only one.",
            "Either we close the border tomorrow or we lose the country.",
        ),
        _T(
            "Consequential_Oversimplification",
            "Simplification",
            "Claims that a first step will inevitably set off a chain of increasingly bad consequences.",
            "Allow one food truck today and tomorrow every shop on Main Street will close.",
        ),
        # Distraction
        _T(
            "Straw_Man",
            "Distraction",
            "Refutes a distorted, weaker version of an opponent's position instead of the real one.",
            "My opponent wants to reform the police, so she clearly wants no law at all.",
        ),
        _T(
            "Red_Herring",
            "Distraction",
            "Shifts attention to an irrelevant topic to avoid the issue under discussion.",
            "Why talk about the missing funds when the stadium has never looked better?",
        ),
        _T(
            "Whataboutism",
            "Distraction",
            "Deflects criticism by pointing to a supposed wrong of the critic instead of answering it.",
            "You complain about our press laws, but what about your own surveillance scandal?",
        ),
        # Call
        _T(
            "Slogans",
            "Call",
            "Uses a short, punchy phrase that works through emotion and repetition rather than argument.",
            "One valley, one voice!",
        ),
        _T(
            "Conversation_Killer",
            "Call",
            "Uses a phrase that discourages further thought or debate on the topic.",
            "It is what it is, and there is nothing more to say.",
        ),
        _T(
            "Appeal_to_Time",
            "Call",
            "Argues that action must be taken now because time is running out.",
            "The window to act closes this week; after that it will be too late.",
        ),
        # Manipulative Wording
        _T(
            "Loaded_Language",
            "Manipulative Wording",
            "Uses words with strong emotional weight to sway the audience rather than to describe.",
            "The council's savage cuts have gutted our libraries.",
        ),
        _T(
            "Obfuscation-Vagueness-Confusion",
            "Manipulative Wording",
            "Uses deliberately unclear wording so the audience can read into it what it likes.",
            "Certain measures will be taken at the appropriate level in due course.",
        ),
        _T(
            "Exaggeration-Minimisation",
            "Manipulative Wording",
            "Overstates or understates something to make it seem better or worse than it is.",
            "The strike caused the worst chaos in human history; a few windows were broken.",
        ),
        _T(
            "Repetition",
            "Manipulative Wording",
            "Repeats the same word or message many times so that the audience comes to accept it.",
            "Jobs, jobs, jobs: this budget is about jobs.",
        ),
    ]
}

_F = Frame
FRAMES: dict[str, Frame] = {
    f.name: f
    for f in [
        _F("Economic", "Costs, benefits, money and other financial consequences of the issue.",
           "The blockade will cost the port town a third of its income."),
        _F("Capacity_and_resources", "Whether there are enough physical, human or financial resources to act.",
           "The hospitals have run out of beds and nurses."),
        _F("Morality", "Religious or ethical duties and what is right or wrong.",
           "Abandoning the refugees would be a moral failure."),
        _F("Fairness_and_equality", "Whether rights, burdens and rewards are shared fairly between groups.",
           "Rural voters pay the same tax but get half the services."),
        _F("Legality_Constitutionality_and_jurisprudence",
           "Laws, courts, constitutional rights and the legal authority to act.",
           "Judges will decide whether the decree breaks the constitution."),
        _F("Policy_prescription_and_evaluation", "Which policies should be adopted and whether existing ones work.",
           "The ceasefire plan failed because it had no monitors."),
        _F("Crime_and_punishment", "Breaking of laws, enforcement, penalties and their effects.",
           "The smugglers face up to ten years in prison."),
        _F("Security_and_defense", "Threats to a nation, group or person and how they are defended against.",
           "Troops were moved to the border after the drone attack."),
        _F("Health_and_safety", "Health care, disease, injury, and the safety of people and places.",
           "Doctors warn that the water supply is no longer safe to drink."),
        _F("Quality_of_life", "How the issue affects people's everyday wellbeing, wealth and happiness.",
           "Families now queue for hours for bread and heating fuel."),
        _F("Cultural_identity", "Traditions, customs, language and values of a social group.",
           "Teaching in the regional language is part of who we are."),
        _F("Public_opinion", "What the public thinks: polls, protests, attitudes.",
           "A poll found two thirds of residents oppose the plan."),
        _F("Political", "Political actors, parties, elections, lobbying and manoeuvring.",
           "The opposition hopes the scandal will cost the president his majority."),
        _F("External_regulation_and_reputation",
           "A state's standing abroad, its relations with other states and international bodies.",
           "The sanctions left the country isolated at the summit."),
    ]
}

GENRES: dict[str, Genre] = {
    g.name: g
    for g in [
        Genre("opinion", "Argues for a view: editorials, columns and commentary where the author takes sides.",
              "It is time the council admitted its plan has failed."),
        Genre("reporting", "Reports events and statements, attributing claims to sources, without the author taking sides.",
              "The council voted 7 to 2 on Tuesday to close the market, a spokesperson said."),
        Genre("satire", "Mocks its subject through irony, exaggeration or invented absurd events presented as news.",
              "Local man declares victory over traffic after parking car permanently in living room."),
    ]
}


def technique(name: str) -> Technique:
    """Look a technique up by its SemEval label; raises KeyError with the known labels."""
    try:
        return TECHNIQUES[name]
    except KeyError:
        raise KeyError(f"unknown technique {name!r}; known: {', '.join(TECHNIQUES)}") from None


__all__ = [
    "CATEGORIES",
    "FRAMES",
    "GENRES",
    "TECHNIQUES",
    "Frame",
    "Genre",
    "Technique",
    "technique",
]
