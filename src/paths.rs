//! Where DuckLens keeps its files. The CLI resolves these once; nothing deeper reads the
//! environment.

use std::path::PathBuf;

use directories::ProjectDirs;

fn project_dirs() -> Option<ProjectDirs> {
    ProjectDirs::from("", "", "ducklens")
}

/// The platform data dir, e.g. `~/.local/share/ducklens`.
pub fn data_dir() -> PathBuf {
    project_dirs()
        .map(|p| p.data_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from(".ducklens"))
}

/// The platform config dir, e.g. `~/.config/ducklens`.
pub fn config_file() -> PathBuf {
    project_dirs()
        .map(|p| p.config_dir().join("config.toml"))
        .unwrap_or_else(|| PathBuf::from(".ducklens/config.toml"))
}

/// The platform state dir for logs, e.g. `~/.local/state/ducklens`; the data dir where the
/// platform has no state dir.
pub fn state_dir() -> PathBuf {
    project_dirs()
        .and_then(|p| p.state_dir().map(|s| s.to_path_buf()))
        .unwrap_or_else(|| data_dir().join("logs"))
}

pub fn default_db() -> PathBuf {
    data_dir().join("ducklens.duckdb")
}

pub fn default_demo_db() -> PathBuf {
    data_dir().join("demo.duckdb")
}

/// `--db` wins, then `DUCKLENS_DB`, then the platform default.
pub fn resolve_db(flag: Option<PathBuf>, env: Option<String>) -> PathBuf {
    flag.or_else(|| env.filter(|v| !v.is_empty()).map(PathBuf::from))
        .unwrap_or_else(default_db)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flag_beats_env_beats_default() {
        assert_eq!(
            resolve_db(Some("a.duckdb".into()), Some("b.duckdb".into())),
            PathBuf::from("a.duckdb")
        );
        assert_eq!(
            resolve_db(None, Some("b.duckdb".into())),
            PathBuf::from("b.duckdb")
        );
        assert_eq!(resolve_db(None, Some(String::new())), default_db());
    }
}
