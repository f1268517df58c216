"""In-house articles for the article-level tests. Every sentence is invented for these tests;
none comes from the SemEval data."""

from __future__ import annotations

REPORTING = [
    "Harbour council approves new ferry route\n\n"
    "The harbour council voted 6 to 3 on Tuesday to approve a ferry route to the northern islands, "
    "a spokesperson said.\n\n"
    '"The route will open in May," the council\'s transport officer told reporters, according to a '
    "statement released after the vote.\n\n"
    "Operators said tickets would cost 12 crowns, and the first sailing is planned for 4 May.",
    "Flooding closes two roads in the valley\n\n"
    "Two roads in the river valley were closed on Monday after heavy rain, police said.\n\n"
    "According to the regional weather office, 80 millimetres of rain fell in 24 hours.\n\n"
    '"Drivers should avoid the area," a police spokesman said in a statement on Monday.',
]
OPINION = [
    "Why I will never trust this council again\n\n"
    "It is time we admitted the truth: this council is a disgrace, and you should be angry.\n\n"
    "Are we really going to let these clowns ruin our harbour? I say no! Enough is enough.\n\n"
    "Imagine what our grandparents would think of this shameful, ridiculous plan.",
    "Our leaders have failed us\n\n"
    "Frankly, the whole affair is absurd. We deserve better than these corrupt elites.\n\n"
    "Think about it: who really benefits? Not you, and certainly not me.",
]
SATIRE = [
    "Local man declares victory over traffic after parking car in living room\n\n"
    "Area man Bertil Holm, 54, was visibly thrilled on Sunday after permanently parking his car in "
    "his own living room, reportedly ending his commute forever.\n\n"
    "Sources close to the sofa confirmed the move.",
]
ALL = REPORTING + OPINION + SATIRE
