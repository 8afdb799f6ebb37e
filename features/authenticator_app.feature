Feature: Signing in with an authenticator app
  An authenticator app, such as Google or Microsoft Authenticator, can be used instead of
  email or SMS. The agent scans a QR code, or types in a key, and the app then shows a new
  6-digit code every 30 seconds. A code is accepted from the current 30 seconds, or from
  the 30 seconds either side, to allow for a phone clock that is a little off. A code is
  accepted only once.

  @req-APP-2 @critical
  Scenario: Setting up the app by typing the key instead of scanning
    Given an agent who has not set up two-factor authentication
    And the agent is signed in
    When the agent enables two-factor authentication with an authenticator app
    And the agent types the key into their authenticator app
    And the agent confirms with the code from their authenticator app
    Then two-factor authentication by authenticator app is on for the agent

  @req-APP-3
  Scenario: The QR code holds what every authenticator app understands
    Given an agent who has not set up two-factor authentication
    And the agent is signed in
    When the agent enables two-factor authentication with an authenticator app
    Then the QR code names the product and the agent's email address
    And the QR code asks for 6-digit codes that change every 30 seconds

  @req-TOTP-1 @critical
  Scenario Outline: A code is accepted from the current 30 seconds or the 30 seconds either side
    Given an agent with two-factor authentication by authenticator app
    And it is <into> seconds into a 30-second period
    And the clock of the agent's phone is <drift> seconds <direction>
    When the agent logs in with their password and the code from their authenticator app
    Then the agent is <outcome>

    Examples:
      | into | drift | direction | outcome       |
      | 0    | 0     | right     | signed in     |
      | 29   | 0     | right     | signed in     |
      | 29   | 2     | fast      | signed in     |
      | 1    | 2     | slow      | signed in     |
      | 0    | 59    | fast      | signed in     |
      | 29   | 59    | slow      | signed in     |
      | 29   | 31    | fast      | not signed in |
      | 0    | 31    | slow      | not signed in |
      | 15   | 60    | fast      | not signed in |
      | 15   | 60    | slow      | not signed in |

  @req-TOTP-1
  Scenario: A code read from the app and typed too late is refused
    Given an agent with two-factor authentication by authenticator app
    And the agent logs in with their password
    And the agent reads the code from their authenticator app
    When 61 seconds pass
    And the agent enters that code
    Then the code is refused
    And the agent is not signed in

  @req-TOTP-2 @critical
  Scenario: A code that was used once is refused the second time
    Given an agent with two-factor authentication by authenticator app
    And the agent has logged in with a code from their authenticator app
    When someone else logs in with the agent's password and that same code
    Then the code is refused

  @req-TOTP-2
  Scenario: The code that confirmed the set-up is refused at the next sign-in
    Given an agent who has not set up two-factor authentication
    And the agent is signed in
    When the agent enables two-factor authentication with an authenticator app
    And the agent types the key into their authenticator app
    And the agent confirms with the code from their authenticator app
    And someone else logs in with the agent's password and that same code
    Then the code is refused

  @req-TOTP-2
  Scenario: After a newer code was used, an older one is refused
    Given an agent with two-factor authentication by authenticator app
    And the agent reads the code from their authenticator app
    And 30 seconds pass
    And the agent has logged in with a code from their authenticator app
    When someone else logs in with the agent's password and the code read earlier
    Then the code is refused

  @req-TOTP-2
  Scenario: The code of the next 30 seconds works once the clock moves on
    Given an agent with two-factor authentication by authenticator app
    And the agent has logged in with a code from their authenticator app
    And the agent signs out
    When 30 seconds pass
    And the agent logs in with their password and the code from their authenticator app
    Then the agent is signed in
