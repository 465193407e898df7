"""What a new survey starts with, per group: an introduction that says what happens to the
answers, and a few questions in plain words that the business team edits before opening."""

from .models import Survey, SurveyQuestion

Kind = SurveyQuestion.Kind
Audience = Survey.Audience

TITLES = {
    Audience.CHILDREN: "Tell us what you think",
    Audience.PARENTS: "Your views on the help your family gets",
    Audience.PRACTITIONERS: "After the briefing: three questions",
}

INTRODUCTIONS = {
    Audience.CHILDREN: (
        "We want to know what you think about the help you get. "
        "Nobody can tell which answers are yours. "
        "We put everyone's answers together to make help better."
    ),
    Audience.PARENTS: (
        "We are asking families about the help they get from services, so that we can improve "
        "it. Answers are put together with everyone else's, and nobody can tell which are "
        "yours."
    ),
    Audience.PRACTITIONERS: (
        "Three short questions about the learning briefing and the event you attended. "
        "We do not ask your name: answers are counted by agency only, for the partnership board."
    ),
}

QUESTIONS = {
    Audience.CHILDREN: [
        (Kind.SCALE_3, "How do you feel about the help you get?", ""),
        (Kind.YES_NOT_SURE_NO, "Do the adults helping you listen to you?", ""),
        (Kind.YES_NOT_SURE_NO, "Do you know who to talk to if you are worried?", ""),
        (
            Kind.TEXT,
            "What would make things better for you?",
            "Write as much or as little as you like.",
        ),
    ],
    Audience.PARENTS: [
        (Kind.SCALE_5, "How good was the help your family got?", ""),
        (
            Kind.YES_NOT_SURE_NO,
            "Did workers from different services share what they knew?",
            "So you did not have to tell your story again.",
        ),
        (Kind.TEXT, "What worked well, and what could be better?", ""),
    ],
    Audience.PRACTITIONERS: [
        (Kind.TEXT, "What did you take away from the briefing?", ""),
        (Kind.TEXT, "What have you changed in your practice since?", ""),
        (Kind.TEXT, "What gets in the way?", ""),
    ],
}
