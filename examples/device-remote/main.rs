//! Device remote: finds a Webex room device by name, pairs with it by the PIN it shows,
//! applies what was asked (bind a room, mute or unmute, a volume), prints the device's state, then
//! prints each change made on the device (its volume, its mute, a lost pairing) until Ctrl-C.
//!
//! ```text
//! cargo run --example device-remote -- "Boardroom" 123456 --volume 40 --mute
//! WEBEX_ACCESS_TOKEN=... cargo run --example device-remote -- "Boardroom" 482911 --bind Y2lzY29z...
//! WEBEX_ACCESS_TOKEN=... cargo run --example device-remote -- "Huddle 3" 482911 --unmute
//! cargo run --example device-remote -- --help
//! ```
//!
//! Like every example it is configured by `WEBEX_ACCESS_TOKEN` and the `WEBEX_*` environment
//! layer (`webex.toml` too). Without a token it starts a local emulator, creates the device
//! there when none has that name, and types the PIN the simulated device shows (so any PIN
//! argument works); it prints the admin call that changes the device's volume, to see a
//! device-side change arrive.

use clap::Parser;
use webex::prelude::*;
use webex_emulator::{Emulator, NewPairedDevice, NewPerson, PersonType};
use webex_examples::device_remote::{self, FollowEnd, Remote};

/// Pairs with a Webex room device by name and PIN, binds a room to it, mutes/unmutes it or sets its volume,
/// prints its state, then prints changes made on the device until Ctrl-C.
///
/// Configured by WEBEX_ACCESS_TOKEN and the WEBEX_* environment. Without a token it runs on
/// a local emulator: it creates the device when none has that name, and uses the PIN the
/// simulated device shows (the PIN argument is then not checked).
#[derive(Debug, Parser)]
#[command(version, about)]
struct Args {
    /// The device's name (any case).
    name: String,
    /// The PIN the device shows after the pairing request.
    pin: String,
    /// Show this room (a Hydra room id) on the device. The room must be encrypted (have a
    /// KMS resource object), as Webex rooms are; the local emulator's rooms are not.
    #[arg(long, value_name = "ROOM ID")]
    bind: Option<String>,
    /// Mute the device's microphones.
    #[arg(long, conflicts_with = "unmute")]
    mute: bool,
    /// Unmute the device's microphones.
    #[arg(long)]
    unmute: bool,
    /// Set the volume (within the device's range, usually 0 to 100).
    #[arg(long, allow_negative_numbers = true)]
    volume: Option<i64>,
    /// Log what the SDK does (info with -v, debug with -vv).
    #[arg(short, long, action = clap::ArgAction::Count)]
    verbose: u8,
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args = Args::parse();
    webex_examples::init_logging(args.verbose);
    match run(args).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("device-remote: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<(), Box<dyn std::error::Error>> {
    let remote = Remote {
        name: args.name.clone(),
        pin: args.pin.clone(),
        bind: args.bind.clone(),
        mute: match (args.mute, args.unmute) {
            (true, _) => Some(true),
            (_, true) => Some(false),
            _ => None,
        },
        volume: args.volume,
    };
    let mut builder = Webex::builder().plugins(DefaultPlugins).load_config()?;
    let mut local = None;
    if let Ok(token) = std::env::var("WEBEX_ACCESS_TOKEN")
        && !token.trim().is_empty()
    {
        builder = builder.access_token(token);
    } else {
        let emulator = Emulator::start_default().await?;
        let me = emulator.create_person(NewPerson {
            display_name: "Remy Remote".into(),
            email: "remy@example.com".into(),
            kind: PersonType::Person,
        });
        println!(
            "No WEBEX_ACCESS_TOKEN: a local emulator at {}",
            emulator.base_url()
        );
        builder = builder
            .access_token(&me.access_token)
            .discovery_base(emulator.base_url());
        local = Some(emulator);
    }
    let webex = builder
        .configure(|c| c.app_name = Some("device-remote".into()))
        .build()
        .await?;
    if let Some(emulator) = &local {
        let known = webex
            .device_manager()
            .find_by_name(&args.name)
            .await
            .is_ok();
        if !known {
            let device = emulator.create_paired_device(&NewPairedDevice::named(&args.name))?;
            println!(
                "Created the simulated device {:?} ({})",
                device.name, device.id
            );
        }
    }
    webex.mercury().connect().await?;
    let shown_pin = |id: &str| {
        let pin = local.as_ref()?.paired_device_pin(id)?;
        println!("The simulated device shows PIN {pin}");
        Some(pin)
    };
    let (paired, audio) = device_remote::pair_and_apply(&webex, &remote, shown_pin).await?;
    println!("Paired with {:?} ({})", paired.name, paired.id);
    println!("{}", device_remote::describe(&audio));
    if let Some(emulator) = &local {
        println!(
            "Change the device's volume with: curl -X POST -d '{{\"level\": 20}}' {}/_emulator/paired-devices/{}/volume",
            emulator.base_url(),
            paired.id
        );
    }
    println!("Following changes made on the device; Ctrl-C to stop.");
    let stop = async {
        // An error installing the handler means no Ctrl-C can come: wait forever then.
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    let end = device_remote::follow(&webex, stop, |line| println!("{line}")).await?;
    if end == FollowEnd::Stopped {
        webex.device_manager().unpair(false).await?;
        println!("Unpaired.");
    }
    webex.shutdown().await?;
    Ok(())
}
