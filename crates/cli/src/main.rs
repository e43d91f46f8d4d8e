//! `mynawatch` binary: parse arguments, set up logging, run a command, exit with its code.

use std::process::ExitCode;

use clap::Parser;
use mynawatch::args::{AlertsAction, Args, Command, Format, LogFormat, ReviewAction};
use mynawatch::remote::{self, Data};
use mynawatch::run::RunOptions;
use mynawatch::{commands, exit_for, Exit};
use tracing_subscriber::EnvFilter;

fn main() -> ExitCode {
    let args = match Args::try_parse() {
        Ok(a) => a,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { Exit::Usage as u8 } else { 0 });
        }
    };
    // The demo prints its own report; its logs stay at warnings unless RUST_LOG says otherwise.
    let default_level = if matches!(args.command, Command::Demo { .. }) {
        "warn"
    } else {
        "info"
    };
    init_logging(args.log_format, default_level);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(Exit::Internal as u8);
        }
    };
    match runtime.block_on(dispatch(args.command)) {
        Ok(code) => ExitCode::from(code as u8),
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(exit_for(&err) as u8)
        }
    }
}

fn init_logging(format: LogFormat, default_level: &str) {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_level));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false);
    match format {
        LogFormat::Json => builder.json().flatten_event(true).init(),
        LogFormat::Text => builder.init(),
    }
}

async fn dispatch(command: Command) -> anyhow::Result<Exit> {
    match command {
        Command::Run { place, only } => run_once(&place, only, false).await,
        Command::Reextract { place, only } => run_once(&place, only, true).await,
        Command::Demo { data, corpus } => mynawatch::demo::demo(data, &corpus).await,
        Command::Mirror { root, addr } => {
            let handle = mynawatch_sim::mirror::serve(root.clone(), addr).await?;
            eprintln!(
                "serving {} at http://{} (Ctrl-C to stop)",
                root.display(),
                handle.addr
            );
            tokio::signal::ctrl_c().await?;
            handle.shutdown().await;
            Ok(Exit::Ok)
        }
        Command::Extract {
            family,
            files,
            url,
            text,
            options,
            jobs,
            list,
        } => {
            if list {
                for name in commands::family_names() {
                    println!("{name}");
                }
                return Ok(Exit::Ok);
            }
            let family = family.unwrap_or_default();
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
            commands::extract(
                &family,
                &files,
                url.as_deref(),
                text,
                options.as_deref(),
                jobs,
                &mut out,
            )?;
            Ok(Exit::Ok)
        }
        Command::Eval {
            family,
            labels,
            dir,
            options,
            format,
            labels_from_reviews,
            data,
            texts,
        } => {
            if let Some(out) = labels_from_reviews {
                let data = data.ok_or_else(|| {
                    mynawatch::UsageError("--labels-from-reviews needs --data".into())
                })?;
                let read = remote::read(&Data::of(&data, &Default::default())?).await?;
                let data = read.dir();
                let texts = texts.unwrap_or_else(|| {
                    out.parent()
                        .unwrap_or(std::path::Path::new("."))
                        .join("texts")
                });
                print!(
                    "{}",
                    mynawatch::review::labels_from_reviews(data, &out, &texts)?
                );
                return Ok(Exit::Ok);
            }
            let (Some(family), Some(labels), Some(dir)) = (family, labels, dir) else {
                unreachable!("clap requires them without --labels-from-reviews")
            };
            print!(
                "{}",
                mynawatch::eval::eval(&family, &labels, &dir, options.as_deref(), format)?
            );
            Ok(Exit::Ok)
        }
        Command::Review { action } => review(action).await,
        Command::Query { sql, place, format } => {
            let read = remote::read(&data_of(&place)?).await?;
            print!("{}", commands::query(read.dir(), &sql, format)?);
            Ok(Exit::Ok)
        }
        Command::Report {
            place,
            out,
            as_of,
            lang,
        } => {
            let read = remote::read(&data_of(&place)?).await?;
            let lang = mynawatch::report::lang(&lang)?;
            let path = mynawatch::report::write(read.dir(), &out, as_of, lang)?;
            println!("{}", path.display());
            Ok(Exit::Ok)
        }
        Command::Compact { place } => {
            let text = remote::write(&data_of(&place)?, "compact", async |dir| {
                commands::compact(dir)
            })
            .await?;
            print!("{text}");
            Ok(Exit::Ok)
        }
        Command::Normalize { texts } => {
            print!("{}", commands::normalize(&texts)?);
            Ok(Exit::Ok)
        }
        Command::Changes {
            since,
            place,
            rows,
            format,
            area,
            source,
            kind,
        } => {
            let read = remote::read(&data_of(&place)?).await?;
            let data_dir = read.dir();
            let filter = commands::ChangeFilter {
                since,
                area,
                source,
                kind,
            };
            let text = if rows || format.is_some() {
                commands::change_rows(data_dir, &filter, format.unwrap_or(Format::Table))?
            } else {
                commands::change_summary(data_dir, &filter)?
            };
            print!("{text}");
            Ok(Exit::Ok)
        }
        Command::Feed {
            place,
            out,
            max_entries,
        } => {
            // The config is optional here: `--data` and `--out` are enough.
            let cfg = commands::load(&place.config, place.data.as_deref()).ok();
            let data = data_of(&place)?;
            if matches!(data, Data::Remote(_)) && out.is_none() {
                return Err(mynawatch::UsageError(
                    "feeds of a data folder on object storage need --out".into(),
                )
                .into());
            }
            let read = remote::read(&data).await?;
            let data_dir = read.dir().to_path_buf();
            let feed_cfg = cfg.as_ref().and_then(|(c, _)| c.feed.clone());
            let out = out
                .or_else(|| feed_cfg.as_ref().map(|f| f.dir_in(&data_dir)))
                .unwrap_or_else(|| data_dir.join("feeds"));
            let max = max_entries
                .or(feed_cfg.map(|f| f.max_entries))
                .unwrap_or(mynawatch::feed::DEFAULT_MAX_ENTRIES);
            let report = mynawatch::feed::write_feeds(&data_dir, &out, max)?;
            println!(
                "{} feeds in {} ({} entries in all.atom)",
                report.files.len(),
                out.display(),
                report.entries
            );
            Ok(Exit::Ok)
        }
        Command::Sources { place, format } => {
            let (cfg, data_dir) = commands::load(&place.config, place.data.as_deref())?;
            let read = remote::read(&Data::of(&data_dir, &cfg.storage)?).await?;
            print!("{}", commands::sources(&cfg, read.dir(), format)?);
            Ok(Exit::Ok)
        }
        Command::Bills {
            place,
            as_of,
            matching,
        } => {
            let read = remote::read(&data_of(&place)?).await?;
            print!(
                "{}",
                mynawatch::bills::bills(read.dir(), as_of.as_deref(), matching.as_deref())?
            );
            Ok(Exit::Ok)
        }
        Command::Discover {
            place,
            list,
            only,
            out,
        } => {
            let (cfg, data_dir) = commands::load(&place.config, place.data.as_deref())?;
            let out = out.unwrap_or_else(|| mynawatch::discover::generated_path(&place.config));
            let opts = mynawatch::discover::DiscoverOptions {
                list,
                only,
                out,
                progress: true,
            };
            let data = Data::of(&data_dir, &cfg.storage)?;
            let report = remote::write(&data, "discover", async |dir| {
                mynawatch::discover::discover(&cfg, dir, &opts).await
            })
            .await?;
            print!("{}", report.text);
            Ok(Exit::Ok)
        }
        Command::Alerts {
            action: AlertsAction::Test { place },
        } => {
            let (cfg, data_dir) = commands::load(&place.config, place.data.as_deref())?;
            let read = remote::read(&Data::of(&data_dir, &cfg.storage)?).await?;
            let errors = commands::alerts_test(&cfg, read.dir()).await?;
            for e in &errors {
                eprintln!("alert sink failed: {e}");
            }
            Ok(if errors.is_empty() {
                Exit::Ok
            } else {
                Exit::SourcesFailed
            })
        }
    }
}

/// `review list|set|confirm`.
async fn review(action: ReviewAction) -> anyhow::Result<Exit> {
    use mynawatch::review::{list, record, ListOptions, Verdict};
    match action {
        ReviewAction::List {
            place,
            family,
            area,
            all,
            limit,
            format,
        } => {
            let cfg = commands::load(&place.config, place.data.as_deref()).ok();
            let read = remote::read(&data_of(&place)?).await?;
            let opts = ListOptions {
                family,
                area,
                all,
                limit,
            };
            print!(
                "{}",
                list(read.dir(), cfg.as_ref().map(|(c, _)| c), &opts, format)?
            );
        }
        ReviewAction::Set {
            key,
            field,
            value,
            place,
            who,
        } => {
            let name = who.name();
            let v = Verdict {
                key: &key,
                fields: vec![(field, Some(value))],
                note: &who.note,
                by: &name,
            };
            let data = data_of(&place)?;
            let text = remote::write(&data, "review", async |dir| Ok(record(dir, &v)?)).await?;
            print!("{text}");
        }
        ReviewAction::Confirm {
            key,
            fields,
            place,
            who,
        } => {
            let name = who.name();
            // No field named: every reviewable field of the row's table.
            let v = Verdict {
                key: &key,
                fields: fields.into_iter().map(|f| (f, None)).collect(),
                note: &who.note,
                by: &name,
            };
            let data = data_of(&place)?;
            let text = remote::write(&data, "review", async |dir| Ok(record(dir, &v)?)).await?;
            print!("{text}");
        }
    }
    Ok(Exit::Ok)
}

/// `run` and `reextract`: one pipeline pass, its report on stdout, exit 0 or 3.
async fn run_once(
    place: &mynawatch::args::Place,
    only: Vec<String>,
    reextract: bool,
) -> anyhow::Result<Exit> {
    let (cfg, data_dir) = commands::load(&place.config, place.data.as_deref())?;
    let opts = RunOptions {
        only,
        progress: true,
        reextract,
        ..RunOptions::default()
    };
    let summary = remote::run(&cfg, &Data::of(&data_dir, &cfg.storage)?, &opts).await?;
    print!("{}", mynawatch::demo::report(&summary));
    Ok(if summary.all_ok() {
        Exit::Ok
    } else {
        Exit::SourcesFailed
    })
}

/// `--data` if given, else the config's data dir (the config need not exist when `--data`
/// is given; its `[storage]` is used when it does).
fn data_of(place: &mynawatch::args::Place) -> anyhow::Result<Data> {
    match &place.data {
        // A local folder needs no config; a bucket takes `[storage]` from it when there is one.
        Some(d) if !mynawatch_remote::is_remote(d) => Ok(Data::Local(d.clone())),
        Some(d) => {
            let settings = mynawatch::config::Config::load(&place.config)
                .map(|c| c.storage)
                .unwrap_or_default();
            Data::of(d, &settings)
        }
        None => {
            let (cfg, dir) = commands::load(&place.config, None)?;
            Data::of(&dir, &cfg.storage)
        }
    }
}
