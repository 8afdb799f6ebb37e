Feature: The administrator's overview of two-factor authentication
  Before switching enforcement on, an administrator looks at everyone's two-factor
  authentication in one table: who has it and with which method, when a second factor last
  signed them in, who is locked, and whom enforcement still waits for. The table can be
  narrowed to agents or users, and to one state. From it the administrator unlocks a person,
  whose method stays, or resets their two-factor authentication.

  Background:
    Given an administrator

  @req-ADMIN-3 @critical
  Scenario: The overview shows each person's method, its last use, their lock and what enforcement asks of them
    Given the administrator has enforced two-factor authentication for all agents
    And an agent with two-factor authentication by authenticator app
    And the agent has logged in with a code from their authenticator app
    And a user with two-factor authentication by email
    And another agent who has not set up two-factor authentication
    When 3 hours pass
    And the administrator looks at the overview of everyone
    Then the overview shows:
      | who             | role  | two-factor        | last second factor | locked | enforcement             |
      | the agent       | agent | authenticator app | 3 hours ago        | no     | enforced, set up        |
      | the user        | user  | email             | never              | no     | not enforced            |
      | the other agent | agent | off               | never              | no     | pending: at next sign-in |

  @req-ADMIN-4
  Scenario Outline: The overview narrowed to agents or users, and to one state
    Given an agent with two-factor authentication by SMS
    And another agent who has not set up two-factor authentication
    And a user with two-factor authentication by authenticator app
    And the user logs in with their password
    And the user enters 5 wrong codes
    When the administrator looks at the overview of <whom>
    Then the overview lists <listed>

    Examples:
      | whom                                     | listed                                                  |
      | agents                                   | only the administrator, the agent and the other agent   |
      | users                                    | only the user                                           |
      | everyone with two-factor authentication  | only the agent and the user                             |
      | agents without two-factor authentication | only the administrator and the other agent              |
      | everyone whose second step is locked                 | only the user                                           |
      | users whom enforcement still waits for   | none of them                                            |

  @req-ADMIN-4
  Scenario: The overview narrowed to the people enforcement still waits for
    Given the administrator has enforced two-factor authentication for all agents
    And an agent who has not set up two-factor authentication
    And another agent who has not set up two-factor authentication
    And a user who has not set up two-factor authentication
    When the other agent logs in with their password
    And the other agent sets up an authenticator app and confirms it
    And the administrator looks at the overview of everyone whom enforcement still waits for
    Then the overview lists only the agent

  @req-ADMIN-3 @req-ADMIN-2
  Scenario: Unlocking from the overview keeps the method; a reset leaves the person without one
    Given an agent with two-factor authentication by authenticator app
    And the agent has logged in with a code from their authenticator app
    And the agent signs out
    And the agent logs in with their password
    And the agent enters 5 wrong codes
    When the administrator looks at the overview of everyone whose second step is locked
    Then the overview shows:
      | who       | role  | two-factor        | last second factor | locked | enforcement  |
      | the agent | agent | authenticator app | just now           | locked | not enforced |
    When the administrator unlocks the agent's second step
    And the administrator looks at the overview of everyone
    Then the overview shows:
      | who       | role  | two-factor        | last second factor | locked | enforcement  |
      | the agent | agent | authenticator app | just now           | no     | not enforced |
    When the administrator resets the agent's two-factor authentication
    And the administrator looks at the overview of everyone
    Then the overview shows:
      | who       | role  | two-factor | last second factor | locked | enforcement  |
      | the agent | agent | off        | just now           | no     | not enforced |

  @req-ADMIN-3 @req-GRACE-1
  Scenario: The overview shows by when the people within their days must set up
    Given the administrator has enforced two-factor authentication for all agents, giving 7 days to set it up
    And an agent who has not set up two-factor authentication
    And another agent who has not set up two-factor authentication
    And the agent logs in with their password
    When 2 days pass
    And the administrator looks at the overview of agents whom enforcement still waits for
    Then the overview shows:
      | who             | role  | two-factor | last second factor | locked | enforcement                            |
      | the agent       | agent | off        | never              | no     | pending: within 5 days                 |
      | the other agent | agent | off        | never              | no     | pending: from their next sign-in       |
