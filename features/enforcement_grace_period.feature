Feature: Days to set up two-factor authentication once it is enforced
  An administrator who enforces two-factor authentication can give people some days to set
  it up, as GitLab's grace period and GitHub's deadline do. The days count from each
  person's first sign-in under enforcement. Until they are over, the person is reminded at
  every sign-in by when, and may skip the set-up; after that, the set-up is forced, as it is
  at once when no days are given, which is the default.

  Background:
    Given an administrator

  @req-GRACE-1 @critical
  Scenario: During the days to set up, the agent is reminded at each sign-in and may skip
    Given an agent who has not set up two-factor authentication
    And the administrator has enforced two-factor authentication for all agents, giving 7 days to set it up
    When the agent logs in with their password
    Then the agent is reminded to set up two-factor authentication within 7 days
    When the agent skips setting it up for now
    Then the agent is signed in
    When 3 days pass
    And the agent logs in with their password
    Then the agent is reminded to set up two-factor authentication within 4 days

  @req-GRACE-1
  Scenario: The days count from the person's first sign-in under enforcement
    Given an agent who has not set up two-factor authentication
    And the administrator has enforced two-factor authentication for all agents, giving 7 days to set it up
    When 10 days pass
    And the agent logs in with their password
    Then the agent is reminded to set up two-factor authentication within 7 days

  @req-GRACE-1
  Scenario: Setting it up within the days ends the reminders
    Given an agent who has not set up two-factor authentication
    And the administrator has enforced two-factor authentication for all agents, giving 7 days to set it up
    And the agent logs in with their password
    When the agent sets up an authenticator app and confirms it
    And the agent signs out
    And 1 minute passes
    And the agent logs in with their password
    Then the agent is asked for the code from their authenticator app

  @req-GRACE-1
  Scenario: Without days given, enforcement asks for the set-up at once
    When the administrator looks at the security settings
    Then people have 0 days to set up two-factor authentication once it is enforced

  @req-GRACE-2 @critical
  Scenario: When the days are over, the set-up is forced
    Given an agent who has not set up two-factor authentication
    And the administrator has enforced two-factor authentication for all agents, giving 7 days to set it up
    And the agent logs in with their password
    When 7 days pass
    And the agent logs in with their password
    Then the agent is asked to set up two-factor authentication before going on
    And the agent cannot reach their home page
    When the agent sets up an authenticator app and confirms it
    Then the agent is signed in

  @req-GRACE-2
  Scenario: A session opened in the last minutes is taken to the set-up when the days are over
    Given an agent who has not set up two-factor authentication
    And the administrator has enforced two-factor authentication for all agents, giving 1 day to set it up
    And the agent logs in with their password
    When 23 hours pass
    And 50 minutes pass
    And the agent logs in with their password
    Then the agent is reminded to set up two-factor authentication within 10 minutes
    When the agent skips setting it up for now
    And 15 minutes pass
    And the agent opens their home page
    Then the agent is asked to set up two-factor authentication before going on

  @req-GRACE-3
  Scenario: Enforcement switched on anew gives the days again
    Given an agent who has not set up two-factor authentication
    And the administrator has enforced two-factor authentication for all agents, giving 7 days to set it up
    And the agent logs in with their password
    When 10 days pass
    And the administrator stops enforcing two-factor authentication for all agents
    And the administrator enforces two-factor authentication for all agents
    And the agent logs in with their password
    Then the agent is reminded to set up two-factor authentication within 7 days

  @req-GRACE-3
  Scenario: Fewer days apply at once to everyone within their days
    Given an agent who has not set up two-factor authentication
    And the administrator has enforced two-factor authentication for all agents, giving 7 days to set it up
    And the agent logs in with their password
    When 3 days pass
    And the administrator gives 2 days to set up two-factor authentication
    And the agent logs in with their password
    Then the agent is asked to set up two-factor authentication before going on

  @req-GRACE-4
  Scenario Outline: The days to set up are a whole number from 0 to 90
    When the administrator tries to give <days> days to set up two-factor authentication
    Then the administrator is told "The days to set up two-factor authentication are a whole number from 0 to 90."
    And the security settings are unchanged

    Examples:
      | days |
      | 91   |
      | -1   |
