//! A room device's audio: a volume inside the device's range, changed in
//! the device's steps, and its microphones' mute.

use uuid::Uuid;

use super::PairedDeviceError;
use crate::world::Data;

/// The volume range and step of a model.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct VolumeRange {
    pub(crate) min: i64,
    pub(crate) max: i64,
    /// How much one increase or decrease changes the level.
    pub(crate) step: i64,
}

impl VolumeRange {
    /// What most RoomOS devices have.
    pub(crate) const DEFAULT: Self = Self {
        min: 0,
        max: 100,
        step: 5,
    };

    /// The range of `model`: desk devices with small speakers go to 70 in
    /// steps of 10 (so tests see a model differ); every other model has
    /// [`Self::DEFAULT`].
    pub(crate) fn of_model(model: &str) -> Self {
        if model.to_ascii_lowercase().contains("desk mini") {
            Self {
                min: 0,
                max: 70,
                step: 10,
            }
        } else {
            Self::DEFAULT
        }
    }

    /// The level where a new device starts: half way, on a step.
    fn initial(self) -> i64 {
        let half = self.min + (self.max - self.min) / 2;
        half - (half - self.min) % self.step
    }
}

/// The audio state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct AudioState {
    pub(crate) range: VolumeRange,
    pub(crate) level: i64,
    pub(crate) muted: bool,
}

impl AudioState {
    /// A device's audio when it is created: half volume, not muted.
    pub(crate) fn new(range: VolumeRange) -> Self {
        Self {
            range,
            level: range.initial(),
            muted: false,
        }
    }

    /// Sets the level; a level outside the range changes nothing.
    pub(crate) fn set_level(&mut self, level: i64) -> Result<(), PairedDeviceError> {
        if !(self.range.min..=self.range.max).contains(&level) {
            return Err(PairedDeviceError::VolumeOutOfRange {
                level,
                range: self.range,
            });
        }
        self.level = level;
        Ok(())
    }

    /// One step up (`up`) or down, stopping at the ends of the range.
    pub(crate) fn step(&mut self, up: bool) {
        let step = if up {
            self.range.step
        } else {
            -self.range.step
        };
        self.level = (self.level + step).clamp(self.range.min, self.range.max);
    }
}

/// A change of a device's audio.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum AudioChange {
    /// Set the level.
    Level(i64),
    /// One step up (`true`) or down.
    Step(bool),
    /// Mute (`true`) or unmute the microphones.
    Mute(bool),
}

impl Data {
    /// Changes `device`'s audio, for `person` (who must be paired with it)
    /// or, with `None`, on the device itself; the paired people hear of it.
    pub(crate) fn change_audio(
        &mut self,
        device: Uuid,
        person: Option<Uuid>,
        change: AudioChange,
    ) -> Result<AudioState, PairedDeviceError> {
        let found = self.paired_devices.get_mut(device)?;
        if let Some(person) = person
            && !found.is_paired(person)
        {
            return Err(PairedDeviceError::NotPaired);
        }
        let before = found.audio;
        match change {
            AudioChange::Level(level) => found.audio.set_level(level)?,
            AudioChange::Step(up) => found.audio.step(up),
            AudioChange::Mute(muted) => found.audio.muted = muted,
        }
        let after = found.audio;
        if after != before {
            self.publish_paired_device(device, Vec::new());
        }
        Ok(after)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_volume_stays_in_range_and_moves_in_steps() {
        let mut audio = AudioState::new(VolumeRange::DEFAULT);
        assert_eq!(audio.level, 50);
        audio.step(true);
        assert_eq!(audio.level, 55);
        audio.set_level(100).unwrap();
        audio.step(true);
        assert_eq!(audio.level, 100);
        audio.set_level(0).unwrap();
        audio.step(false);
        assert_eq!(audio.level, 0);
        assert!(audio.set_level(101).is_err());
        assert!(audio.set_level(-1).is_err());
        assert_eq!(audio.level, 0);
        let mini = AudioState::new(VolumeRange::of_model("Webex Desk Mini"));
        assert_eq!((mini.level, mini.range.max, mini.range.step), (30, 70, 10));
    }
}
