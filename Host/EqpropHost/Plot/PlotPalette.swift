/// The fixed colour-blind-safe colours a ``PlotSeries/color`` index picks from.
///
/// Okabe and Ito's palette (2008), reordered so the first colours are the most distinct on white;
/// yellow, the hardest to see on white, comes last.
public enum PlotPalette {
  /// The colours as SVG hex strings.
  public static let colors: [String] = [
    "#0072B2",  // blue
    "#D55E00",  // vermillion
    "#009E73",  // bluish green
    "#CC79A7",  // reddish purple
    "#E69F00",  // orange
    "#56B4E9",  // sky blue
    "#000000",  // black
    "#F0E442",  // yellow
  ]

  /// The colour for `index`, wrapping around in both directions.
  public static func color(_ index: Int) -> String {
    let count = colors.count
    return colors[((index % count) + count) % count]
  }
}
