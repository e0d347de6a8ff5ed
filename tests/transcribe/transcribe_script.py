"""The scripted session the transcription tests synthesise."""

#: A short check-in: the therapist (speaker 0) asks, the client (speaker 1) answers.
SCRIPT = [
    (0, "Hello Lena. How have things been since we last met?"),
    (1, "Not great. We had another fight on Sunday at my mother's birthday lunch."),
    (0, "What happened at the lunch?"),
    (1, "My brother said I never help with anything, and I just walked out."),
    (0, "You felt blamed in front of everyone. How did you feel afterwards?"),
    (1, "Angry at first, and then really tired and sad for the rest of the day."),
    (0, "Would it help to talk about what you wanted to say to him?"),
    (1, "Yes, I think so. I want him to know that I do help."),
]
