//! The seed examples for teams and team memberships, with their asserts.

mod common;

use common::Setup;
use webex_messages::MessagesExt;
use webex_messages::Timestamp;

#[tokio::test]
async fn create_team() {
    let s = Setup::new().await;
    let team = s.webex.teams().create("Create Team Example").await.unwrap();
    assert!(!team.id.as_str().is_empty());
    assert_eq!(team.name, "Create Team Example");
    assert!(team.created > Timestamp::UNIX_EPOCH);
}

#[tokio::test]
async fn get_team() {
    let s = Setup::new().await;
    let team = s.webex.teams().create("Get Team Example").await.unwrap();
    let team2 = s.webex.teams().get(&team.id).await.unwrap();
    assert_eq!(team2.id, team.id);
}

#[tokio::test]
async fn list_teams() {
    let s = Setup::new().await;
    let teams = s.webex.teams();
    let created = futures::future::try_join_all([
        teams.create("List Teams Example 1").send(),
        teams.create("List Teams Example 2").send(),
        teams.create("List Teams Example 3").send(),
    ])
    .await
    .unwrap();
    let page = s.webex.teams().list().max(3).await.unwrap();
    assert_eq!(page.items().len(), 3);
    for item in page.items() {
        assert_eq!(created.iter().filter(|t| t.id == item.id).count(), 1);
    }
}

#[tokio::test]
async fn update_team() {
    let s = Setup::new().await;
    let team = s.webex.teams().create("Update Team Example").await.unwrap();
    s.webex
        .teams()
        .update(&team.id, "Teams Example (Updated Title)")
        .await
        .unwrap();
    let team = s.webex.teams().get(&team.id).await.unwrap();
    assert_eq!(team.name, "Teams Example (Updated Title)");
}

#[tokio::test]
async fn create_team_membership() {
    let s = Setup::new().await;
    let team = s
        .webex
        .teams()
        .create("Create Team Membership Example")
        .await
        .unwrap();
    let membership = s
        .webex
        .team_memberships()
        .create(&team.id)
        .person_email("alice@example.com")
        .await
        .unwrap();
    assert!(!membership.id.as_str().is_empty());
    assert_eq!(membership.team_id, team.id);
    assert!(!membership.person_id.as_str().is_empty());
    assert_eq!(membership.person_email, "alice@example.com");
    // `isModerator` is present by type; added by e-mail, Alice does not moderate.
    assert!(!membership.is_moderator, "'isModerator' in membership");
    assert!(membership.created > Timestamp::UNIX_EPOCH);
}

#[tokio::test]
async fn get_team_membership() {
    let s = Setup::new().await;
    let team = s
        .webex
        .teams()
        .create("Get Team Memberships Example")
        .await
        .unwrap();
    let membership = s
        .webex
        .team_memberships()
        .create(&team.id)
        .person_email("alice@example.com")
        .await
        .unwrap();
    let got = s
        .webex
        .team_memberships()
        .get(&membership.id)
        .await
        .unwrap();
    assert_eq!(got, membership);
}

#[tokio::test]
async fn list_team_memberships() {
    let s = Setup::new().await;
    let team = s
        .webex
        .teams()
        .create("List Team Memberships Example")
        .await
        .unwrap();
    s.webex
        .team_memberships()
        .create(&team.id)
        .person_email("alice@example.com")
        .await
        .unwrap();
    let memberships = s.webex.team_memberships().list(&team.id).await.unwrap();
    assert_eq!(memberships.items().len(), 2);
    for membership in memberships.items() {
        assert_eq!(membership.team_id, team.id);
    }
}

#[tokio::test]
async fn remove_team_membership() {
    let s = Setup::new().await;
    let team = s
        .webex
        .teams()
        .create("Remove Team Memberships Example")
        .await
        .unwrap();
    let membership = s
        .webex
        .team_memberships()
        .create(&team.id)
        .person_email("alice@example.com")
        .await
        .unwrap();
    let list = || s.webex.team_memberships().list(&team.id);
    assert_eq!(list().await.unwrap().items().len(), 2);
    s.webex
        .team_memberships()
        .remove(&membership.id)
        .await
        .unwrap();
    assert_eq!(list().await.unwrap().items().len(), 1);
}

#[tokio::test]
async fn update_team_membership() {
    let s = Setup::new().await;
    let team = s.webex.teams().create("Moderators").await.unwrap();
    let membership = s
        .webex
        .team_memberships()
        .create(&team.id)
        .person_email("alice@example.com")
        .await
        .unwrap();
    assert!(!membership.is_moderator);
    let updated = s
        .webex
        .team_memberships()
        .update(&membership.id, true)
        .await
        .unwrap();
    assert!(updated.is_moderator);
}
