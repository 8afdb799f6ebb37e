"""The acceptance harness: step definitions over a domain language, over drivers.

    features/*.feature     what a person does and sees (pytest-bdd)
    steps/step_defs/       one-line steps that call the domain language (_grammar.py: who, method, counts)
    steps/dsl/             the stage, actors with abilities (mailbox, texts, authenticator app),
                           tasks/ and questions.py in the product's words, messages.py
    steps/methods.py       the second-factor methods, one entry each
    steps/drivers/         domain (in-process), api (HTTP), ui (a real browser)
"""
