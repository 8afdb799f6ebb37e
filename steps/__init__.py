"""The acceptance harness: step definitions over a domain language, over drivers.

    features/*.feature     what a person does and sees (pytest-bdd)
    steps/step_defs/       one-line steps that call the domain language
    steps/dsl/             actors with abilities (password, phone, mailbox, authenticator app)
    steps/drivers/         domain (in-process), api (HTTP), ui (a real browser)
"""
