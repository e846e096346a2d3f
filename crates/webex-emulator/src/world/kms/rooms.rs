//! The KMS resource object of each room, as the conversation service names it in
//! `kmsResourceObjectUrl`: made when the room gets its first member (with one key of that
//! member bound to it), and authorizing exactly the room's members, kept in step as they
//! join and leave. Other ids a member authorizes on it (a paired device's space, through
//! Lyra's bindings) stay until they are removed the same way.

use uuid::Uuid;

use super::{KmsStore, Resource, new_uri};

impl KmsStore {
    /// The URI of `room`'s resource object; `None` before it has a member.
    pub(crate) fn room_resource(&self, room: Uuid) -> Option<&str> {
        self.room_resources.get(&room).map(String::as_str)
    }

    fn room_resource_mut(&mut self, room: Uuid) -> Option<&mut Resource> {
        let uri = self.room_resources.get(&room)?;
        self.resources.get_mut(uri)
    }

    /// Authorizes `person`, who just joined `room`, on the room's resource, making the
    /// resource (and a key of `person` bound to it) when it is the room's first member.
    pub(crate) fn authorize_member(&mut self, room: Uuid, person: Uuid) {
        let id = person.to_string();
        if let Some(resource) = self.room_resource_mut(room) {
            if !resource.authorized.contains(&id) {
                resource.authorized.push(id);
            }
            return;
        }
        let key = self.new_key(person);
        let uri = new_uri("resources");
        if let Some(created) = self.keys.get_mut(&key) {
            created.resource = Some(uri.clone());
        }
        self.resources.insert(
            uri.clone(),
            Resource {
                keys: vec![key],
                authorized: vec![id],
            },
        );
        self.room_resources.insert(room, uri);
    }

    /// Removes the authorization of `person`, who left `room`, from the room's resource.
    pub(crate) fn deauthorize_member(&mut self, room: Uuid, person: Uuid) {
        let id = person.to_string();
        if let Some(resource) = self.room_resource_mut(room) {
            resource.authorized.retain(|known| *known != id);
        }
    }

    /// Drops the resource of a deleted room: nobody is authorized on it any more, and its
    /// keys are left to their owner alone.
    pub(crate) fn forget_room(&mut self, room: Uuid) {
        if let Some(uri) = self.room_resources.remove(&room) {
            self.resources.remove(&uri);
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn authorized(kms: &mut KmsStore, caller: Uuid, resource: &str) -> Vec<String> {
        let answer = kms.apply(
            caller,
            &json!({"method": "retrieve", "uri": format!("{resource}/authorizations")}),
        );
        answer["authorizations"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|auth| auth["authId"].as_str().map(str::to_owned))
            .collect()
    }

    #[test]
    fn a_rooms_resource_authorizes_its_members_as_they_join_and_leave() {
        let mut kms = KmsStore::default();
        let (room, ada, bob) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
        assert_eq!(kms.room_resource(room), None);

        kms.authorize_member(room, ada);
        let resource = kms.room_resource(room).unwrap().to_owned();
        assert!(resource.starts_with("kms://"), "{resource}");
        assert!(resource.contains("/resources/"), "{resource}");
        kms.authorize_member(room, bob);
        kms.authorize_member(room, bob);
        assert_eq!(kms.room_resource(room), Some(resource.as_str()));
        assert_eq!(
            authorized(&mut kms, bob, &resource),
            [ada.to_string(), bob.to_string()]
        );

        kms.deauthorize_member(room, ada);
        assert_eq!(authorized(&mut kms, bob, &resource), [bob.to_string()]);
        assert!(authorized(&mut kms, ada, &resource).is_empty());

        kms.forget_room(room);
        assert_eq!(kms.room_resource(room), None);
        assert!(authorized(&mut kms, bob, &resource).is_empty());
    }
}
