Feature: Wrong passwords slow further tries down, without locking anyone out
  The first 5 wrong passwords in a row for an account from one network are answered at
  once; after that each further try from that network must wait, 1 second, then 2, 4, and so
  on up to a minute. A try made too soon is refused without checking the password. Other
  networks are not slowed, so a stranger who knows someone's email address cannot keep them
  out. Whatever the networks, an account takes at most 100 wrong passwords an hour. A
  network that fails to sign in 30 times in 15 minutes, whatever the accounts, must wait
  until the oldest of those is 15 minutes old.

  @req-LOGIN-3 @critical
  Scenario: After 5 wrong passwords in a row the next try has to wait
    Given an agent who has not set up two-factor authentication
    When the agent logs in with a wrong password 5 times
    And the agent logs in with their password
    Then the agent is told "Too many failed sign-ins for this account. Try again in 1 second."
    And the agent is not signed in
    When 1 second passes
    And the agent logs in with their password
    Then the agent is signed in

  @req-LOGIN-3
  Scenario: A stranger's wrong passwords from another network do not slow the agent down
    Given an agent who has not set up two-factor authentication
    And someone tried a wrong password for the agent's account every minute for the last 12 minutes
    When the agent logs in with their password
    Then the agent is signed in

  @req-LOGIN-3
  Scenario: Wrong passwords from many networks are capped at 100 an hour for an account
    Given an agent who has not set up two-factor authentication
    And someone tried a wrong password for the agent's account every 30 seconds for the last 50 minutes, each time from another network
    When the agent logs in with their password
    Then the agent is told "Too many failed sign-ins for this account. Try again in 11 minutes."
    When 11 minutes pass
    And the agent logs in with their password
    Then the agent is signed in

  @req-LOGIN-4
  Scenario: A network that fails on many accounts must wait, and nobody else does
    Given an agent who has not set up two-factor authentication
    And someone has just tried wrong passwords for 30 different accounts
    When someone logs in as a person who has no account
    Then they are told "Too many failed sign-ins from your network. Try again in 15 minutes."
    When the agent logs in with their password
    Then the agent is signed in
