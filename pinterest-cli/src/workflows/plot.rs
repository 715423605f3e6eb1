//! Line charts of daily metrics: SVG or PNG with `plotters` (axes with
//! dates, one series per metric, a legend; the PNG's text uses the bundled
//! DejaVu Sans Mono, so no system font is needed), or a text chart for
//! the terminal.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use pinterest_ext::analytics::DailyMetrics;
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::exit::Failure;

/// The bundled font (DejaVu Sans Mono; license in `assets/`).
static FONT: &[u8] = include_bytes!("../../assets/DejaVuSansMono.ttf");

/// Chart size in pixels.
const SIZE: (u32, u32) = (1000, 560);

/// One metric over the days.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// The metric's name.
    pub name: String,
    /// (days since the first day, value), by day.
    pub points: Vec<(i64, f64)>,
}

/// The chart's data: the first day and one series per metric (entities
/// summed per day).
pub fn series(daily: &DailyMetrics) -> (Option<NaiveDate>, Vec<Series>) {
    let start = daily.rows().map(|r| r.date).min();
    let mut by_metric: BTreeMap<String, BTreeMap<i64, f64>> = BTreeMap::new();
    for row in daily.rows() {
        let x = start.map_or(0, |s| (row.date - s).num_days());
        for (metric, value) in row.metrics {
            *by_metric
                .entry(metric.clone())
                .or_default()
                .entry(x)
                .or_insert(0.0) += value;
        }
    }
    let series = by_metric
        .into_iter()
        .map(|(name, points)| Series {
            name,
            points: points.into_iter().collect(),
        })
        .collect();
    (start, series)
}

/// Draws `daily` to `target`: a `.svg` or `.png` file, or `-` for the
/// terminal.
pub fn draw(daily: &DailyMetrics, target: &str) -> Result<(), Failure> {
    let (start, series) = series(daily);
    let Some(start) = start else {
        return Err(Failure::local("no data to plot in that range"));
    };
    if target == "-" {
        print!("{}", text_chart(start, &series, 72, 16));
        return Ok(());
    }
    let lower = target.to_ascii_lowercase();
    let result = if lower.ends_with(".svg") {
        chart(
            SVGBackend::new(target, SIZE).into_drawing_area(),
            start,
            &series,
        )
    } else if lower.ends_with(".png") {
        chart(
            BitMapBackend::new(target, SIZE).into_drawing_area(),
            start,
            &series,
        )
    } else {
        return Err(Failure::usage(format!(
            "--plot {target:?}: name a .svg or .png file, or `-` for the terminal"
        )));
    };
    result.map_err(|e| Failure::local(format!("cannot draw {target}: {e}")))
}

fn register_font() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // The bytes are a valid TrueType font, checked by a test.
        let _ = plotters::style::register_font("sans-serif", FontStyle::Normal, FONT);
    });
}

fn bounds(series: &[Series]) -> (i64, f64, f64) {
    let last = series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.0))
        .max()
        .unwrap_or(0);
    let values = series.iter().flat_map(|s| s.points.iter().map(|p| p.1));
    let (lo, hi) = values.fold((0.0f64, f64::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let hi = if hi <= lo { lo + 1.0 } else { hi * 1.05 };
    (last.max(1), lo, hi)
}

fn chart<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    start: NaiveDate,
    series: &[Series],
) -> Result<(), String> {
    register_font();
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    root.fill(&WHITE).map_err(err)?;
    let (last, lo, hi) = bounds(series);
    let end = start + chrono::Duration::days(last);
    let mut chart = ChartBuilder::on(&root)
        .caption(
            format!("Daily metrics {start} to {end}"),
            ("sans-serif", 22),
        )
        .margin(16)
        .x_label_area_size(44)
        .y_label_area_size(80)
        .build_cartesian_2d(0i64..last, lo..hi)
        .map_err(err)?;
    let label = |x: &i64| (start + chrono::Duration::days(*x)).to_string();
    chart
        .configure_mesh()
        .x_labels(8)
        .x_label_formatter(&label)
        .x_desc("date")
        .y_desc("value")
        .label_style(("sans-serif", 13))
        .draw()
        .map_err(err)?;
    for (i, s) in series.iter().enumerate() {
        let color = Palette99::pick(i).to_rgba();
        chart
            .draw_series(LineSeries::new(
                s.points.iter().copied(),
                color.stroke_width(2),
            ))
            .map_err(err)?
            .label(s.name.as_str())
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2))
            });
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .label_font(("sans-serif", 14))
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .draw()
        .map_err(err)?;
    root.present().map_err(err)
}

/// Marks of the series in a text chart, in order.
const MARKS: [char; 6] = ['*', '+', 'o', 'x', '#', '@'];

/// A `width` x `height` text chart: y labels, one mark per series, the
/// first and last date, and a legend.
pub fn text_chart(start: NaiveDate, series: &[Series], width: usize, height: usize) -> String {
    let (last, lo, hi) = bounds(series);
    let mut grid = vec![vec![' '; width]; height];
    for (i, s) in series.iter().enumerate() {
        let mark = MARKS[i % MARKS.len()];
        for &(x, y) in &s.points {
            let col = ((x as f64 / last as f64) * (width - 1) as f64).round() as usize;
            let row = (((y - lo) / (hi - lo)) * (height - 1) as f64).round() as usize;
            let row = (height - 1).saturating_sub(row.min(height - 1));
            grid[row][col.min(width - 1)] = mark;
        }
    }
    let mut out = String::new();
    for (r, line) in grid.iter().enumerate() {
        let label = if r == 0 {
            format!("{hi:>10.1}")
        } else if r == height - 1 {
            format!("{lo:>10.1}")
        } else {
            " ".repeat(10)
        };
        out.push_str(&format!("{label} |{}\n", line.iter().collect::<String>()));
    }
    let end = start + chrono::Duration::days(last);
    out.push_str(&format!("{} +{}\n", " ".repeat(10), "-".repeat(width)));
    let first = start.to_string();
    let gap = width.saturating_sub(first.len() * 2);
    out.push_str(&format!(
        "{}  {first}{}{end}\n",
        " ".repeat(10),
        " ".repeat(gap)
    ));
    let legend: Vec<String> = series
        .iter()
        .enumerate()
        .map(|(i, s)| format!("{} {}", MARKS[i % MARKS.len()], s.name))
        .collect();
    out.push_str(&format!("{}  {}\n", " ".repeat(10), legend.join("   ")));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_font_loads() {
        assert!(plotters::style::register_font("test-font", FontStyle::Normal, FONT).is_ok());
    }

    #[test]
    fn the_text_chart_puts_the_peak_on_top_and_names_the_series() {
        let start = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let s = vec![Series {
            name: "SAVE".into(),
            points: vec![(0, 1.0), (1, 10.0), (2, 1.0)],
        }];
        let text = text_chart(start, &s, 21, 5);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0].find('*'), Some(12 + 10), "{text}");
        assert!(text.contains("2026-01-01") && text.contains("2026-01-03"));
        assert!(lines.last().unwrap().contains("* SAVE"));
    }
}
