/// Writes figures as self-contained SVG documents, with no dependencies: grids of line panels
/// (gradient checks in the style of Ernoult et al. 2019, Fig. 2, or training curves) and grouped
/// bar charts (their Fig. 3).
///
/// Every document has width and height attributes, a white background, a title, axes with
/// 4–6 nice ticks, a legend, and a `<desc>` listing any points it skipped or downsampled.
public enum SVGPlot {
  /// The document's title font size.
  static let titleFontSize = 16.0
  /// From the top of the document to the first row: room for the title.
  static let titleHeight = 36.0

  /// The smallest width of a grid cell by default: three fit a screen side by side.
  public static let standardCellWidth = 360.0
  /// The smallest height of a cell's plot area by default.
  public static let standardPlotHeight = 210.0

  /// A grid of `panels`, `columns` wide (rows as needed), under `title`.
  ///
  /// Every cell has the same size, at least `minimumCellWidth` wide with a plot area at least
  /// `minimumPlotHeight` high (more when a title or label needs it), so the panels' plot areas
  /// line up; each panel's legend sits under its x axis.
  public static func grid(
    _ panels: [LinePanel], columns: Int, title: String,
    minimumCellWidth: Double = standardCellWidth, minimumPlotHeight: Double = standardPlotHeight
  ) -> String {
    let drawings = panels.map(PanelDrawing.init)
    let columns = Swift.max(1, Swift.min(columns, drawings.count))
    let rows = (drawings.count + columns - 1) / columns
    let titleWidth = SVGText.width(title, fontSize: titleFontSize) + 2 * PanelDrawing.padding
    let cellWidth = Swift.max(
      minimumCellWidth, drawings.map(\.neededWidth).max() ?? 0, titleWidth / Double(columns))
    let plotHeight = Swift.max(minimumPlotHeight, drawings.map(\.neededPlotHeight).max() ?? 0)
    let legendWidth = cellWidth - 2 * PanelDrawing.padding
    let legends = drawings.map { PlotLegend($0.legendItems, width: legendWidth) }
    let below =
      zip(drawings, legends).map { $0.bottomMargin + 6 + $1.height }.max() ?? 0
    let cellHeight = PanelDrawing.top + plotHeight + below + PanelDrawing.padding
    let top = title.isEmpty ? 0 : titleHeight
    var svg = SVGBuilder()
    let width = Double(columns) * cellWidth
    if !title.isEmpty {
      svg.text(title, width / 2, 24, size: titleFontSize, anchor: .middle, bold: true)
    }
    for (index, (drawing, legend)) in zip(drawings, legends).enumerated() {
      drawing.draw(
        into: &svg, x: Double(index % columns) * cellWidth,
        y: top + Double(index / columns) * cellHeight, width: cellWidth, plotHeight: plotHeight,
        legend: legend)
    }
    let notes = drawings.enumerated().flatMap { $1.notes(index: $0) }
    return svg.document(
      width: width, height: top + Double(rows) * cellHeight + (rows == 0 ? 10 : 0),
      title: title, notes: notes)
  }
}
