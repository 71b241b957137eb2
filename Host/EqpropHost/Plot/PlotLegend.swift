/// A legend laid out in rows that wrap at a given width: a line sample or a colour swatch, then
/// the name.
struct PlotLegend {
  /// One entry.
  struct Item: Equatable {
    /// What sits before the name.
    enum Mark: Equatable {
      /// A line sample, stroked like the series, with a dot in its middle when the series
      /// marks its points.
      case line(dashed: Bool, weight: PlotSeries.Weight, dot: Bool)
      case swatch
    }

    var name: String
    var color: String
    var mark: Mark

    /// The width of the mark before the name.
    var markWidth: Double {
      switch mark {
      case .line: PlotLegend.lineWidth
      case .swatch: PlotLegend.swatchSide
      }
    }
  }

  /// The font size of the names.
  static let fontSize = 11.0
  /// The height of one row.
  static let rowHeight = 16.0
  /// The width of a line sample.
  private static let lineWidth = 24.0
  /// The side of a colour swatch.
  private static let swatchSide = 11.0
  /// The room between a mark and its name, and after a name.
  private static let gap = 5.0
  private static let spacing = 14.0

  /// The items, each with its place relative to the legend's top left corner.
  private var placed: [(item: Item, x: Double, row: Int)] = []

  /// The items, duplicates and unnamed ones dropped, wrapped into rows no wider than `width`.
  init(_ items: [Item], width: Double) {
    var seen: [Item] = []
    var x = 0.0
    var row = 0
    for item in items where !item.name.isEmpty && !seen.contains(item) {
      seen.append(item)
      let itemWidth =
        item.markWidth + PlotLegend.gap + SVGText.width(item.name, fontSize: PlotLegend.fontSize)
      if x > 0, x + itemWidth > width {
        row += 1
        x = 0
      }
      placed.append((item, x, row))
      x += itemWidth + PlotLegend.spacing
    }
  }

  /// The height the legend takes; 0 when it has no items.
  var height: Double {
    placed.last.map { Double($0.row + 1) * PlotLegend.rowHeight } ?? 0
  }

  /// Draws the legend with its top left corner at (x, y).
  func draw(into svg: inout SVGBuilder, x: Double, y: Double) {
    for entry in placed {
      let left = x + entry.x
      let middle = y + (Double(entry.row) + 0.5) * PlotLegend.rowHeight
      switch entry.item.mark {
      case .line(let dashed, let weight, let dot):
        // A bit wider than in the plot: the sample is short.
        svg.line(
          left, middle, left + PlotLegend.lineWidth, middle, stroke: entry.item.color,
          width: weight.lineWidth * 1.25, dashed: dashed, opacity: weight.opacity)
        if dot {
          svg.circle(
            left + PlotLegend.lineWidth / 2, middle, radius: PlotSeries.markRadius,
            fill: entry.item.color)
        }
      case .swatch:
        let side = PlotLegend.swatchSide
        svg.rect(left, middle - side / 2, side, side, fill: entry.item.color)
      }
      svg.text(
        entry.item.name, left + entry.item.markWidth + PlotLegend.gap,
        middle + PlotLegend.fontSize * 0.35, size: PlotLegend.fontSize)
    }
  }
}
