Feature: Signing in through an identity provider
  A site can trust an identity provider for single sign-on: the provider signs the person in
  and vouches for them with a signed assertion, in place of the password. HaloPSA's setting
  "SSO bypasses 2FA" decides what follows. By default the person is asked for their second
  factor too, as after a password; with the setting, the identity provider's sign-in is
  enough. A sign-in through the identity provider starts on this site, and only the browser
  that started it can finish it. An assertion the site cannot trust is refused, and nothing
  else happens.

  Background:
    Given an administrator

  @req-SSO-1 @critical
  Scenario: By default, a person who signs in through the identity provider is asked for their second factor too
    Given an agent with two-factor authentication by authenticator app
    When the agent signs in through the identity provider
    Then the agent is asked for the code from their authenticator app
    And the agent cannot reach their home page
    When the agent enters the code from their authenticator app
    Then the agent is signed in

  @req-SSO-1
  Scenario: By default, enforcement holds a person who signs in through the identity provider at the set-up
    Given the administrator has enforced two-factor authentication for all agents
    And an agent who has not set up two-factor authentication
    When the agent signs in through the identity provider
    Then the agent is asked to set up two-factor authentication before going on
    And the agent cannot reach their home page

  @req-SSO-1 @critical
  Scenario: With "SSO bypasses 2FA", the identity provider's sign-in is enough, and the password still needs the code
    Given an agent with two-factor authentication by SMS
    When the administrator lets people who sign in through the identity provider skip two-factor authentication
    And the agent signs in through the identity provider
    Then the agent is signed in
    When the agent signs out
    And the agent logs in with their password
    Then the agent is asked for the code sent by SMS

  @req-SSO-2 @critical
  Scenario Outline: An assertion the site cannot trust signs nobody in
    Given an agent with two-factor authentication by authenticator app
    When the agent signs in through the identity provider
    And the agent enters the code from their authenticator app
    And someone signs in as the agent with <assertion>
    Then they are told "<message>"
    And someone is not signed in

    Examples:
      | assertion                                                         | message                                                                                   |
      | an assertion from an identity provider this site does not trust    | The sign-in from your identity provider could not be verified. Sign in there again.      |
      | an assertion for another site                                      | The sign-in from your identity provider could not be verified. Sign in there again.      |
      | an assertion that has expired                                      | The sign-in from your identity provider has expired. Sign in there again.                |
      | the agent's assertion used before                                  | This sign-in from your identity provider was already used. Sign in there again.          |

  @req-SSO-2 @critical
  Scenario: Another person's own sign-in through the identity provider, sent to the agent's browser, signs it in to no account
    Given an agent who has not set up two-factor authentication
    And another agent who has not set up two-factor authentication
    When the administrator lets people who sign in through the identity provider skip two-factor authentication
    And the other agent signs in to their own account through the identity provider, and a page of theirs sends that sign-in to the agent's browser
    Then the agent is told the sign-in from the identity provider was not started here
    And the agent is not signed in

  @req-SSO-2
  Scenario: A sign-in the agent's browser started is not finished by another person's sign-in through the identity provider
    Given an agent who has not set up two-factor authentication
    And another agent who has not set up two-factor authentication
    When the administrator lets people who sign in through the identity provider skip two-factor authentication
    And the agent starts signing in through the identity provider
    And the other agent signs in to their own account through the identity provider, and a page of theirs sends that sign-in to the agent's browser
    Then the agent is told the sign-in from the identity provider was not started here
    And the agent is not signed in

  @req-SSO-2
  Scenario: An identity provider's sign-in for a person without an account is refused with the reason
    When someone signs in through the identity provider as a person who has no account
    Then they are told "Your identity provider signed you in, but no account here has that email address. Ask your administrator."
    And someone is not signed in
