Feature: How long a session lasts, and what ends it
  A session ends after 30 minutes without activity, and 12 hours after signing in however
  active the person is (both can be set in the application's configuration). Turning
  two-factor authentication on, changing its method, or an administrator's reset signs the
  person out everywhere else. A sign-in cancelled at the code step is over for good.

  @req-SESSION-2 @critical
  Scenario: A session ends after 30 minutes without activity
    Given an agent who has not set up two-factor authentication
    And the agent is signed in
    When 30 minutes pass without the agent doing anything
    Then the agent cannot reach their home page

  @req-SESSION-2
  Scenario: Activity keeps a session alive past 30 minutes
    Given an agent who has not set up two-factor authentication
    And the agent is signed in
    When 29 minutes pass without the agent doing anything
    And the agent opens their home page
    And 29 minutes pass without the agent doing anything
    Then the agent can reach their home page

  @req-SESSION-3 @critical
  Scenario: A session ends 12 hours after signing in, however active the agent is
    Given an agent who has not set up two-factor authentication
    And the agent is signed in
    When the agent keeps working, opening their home page every 25 minutes for 12 hours
    Then the agent cannot reach their home page

  @req-SESSION-4 @critical
  Scenario: Turning two-factor authentication on signs the agent out everywhere else
    Given an agent who has not set up two-factor authentication
    And the agent is signed in on two devices
    When the agent enables two-factor authentication by email
    And the agent confirms with the code sent by email
    Then the agent can reach their home page
    But the agent cannot reach their home page on the other device

