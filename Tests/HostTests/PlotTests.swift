import Foundation
import XCTest

@testable import EqpropHost

/// The SVG plot writer: documents parse as XML, hold one path per drawn series, pick nice ticks,
/// skip what cannot be drawn, escape text, downsample long series and write atomically.
final class PlotTests: XCTestCase {
  // MARK: Documents

  func testGridIsASizedXMLDocumentWithBackgroundTitleAndLegend() throws {
    let panel = LinePanel(
      title: "Layer 1", xLabel: "t", yLabel: "gradient",
      series: [
        PlotSeries(name: "BPTT", values: [0, 1, 2]),
        PlotSeries(name: "EP", values: [0, 1.1, 1.9], style: .dashed),
      ])
    let svg = try ParsedSVG(SVGPlot.grid([panel, panel], columns: 2, title: "Check"))
    let root = try XCTUnwrap(svg.elements.first)
    XCTAssertEqual(root.name, "svg")
    XCTAssertGreaterThan(Double(root.attributes["width"] ?? "") ?? 0, 600)
    XCTAssertGreaterThan(Double(root.attributes["height"] ?? "") ?? 0, 200)
    let background = try XCTUnwrap(svg.named("rect").first)
    XCTAssertEqual(background.attributes["fill"], "#ffffff")
    XCTAssertEqual(background.attributes["width"], "100%")
    XCTAssertEqual(svg.text(of: "title").first, "Check")
    XCTAssertTrue(svg.texts.contains("Layer 1"))
    XCTAssertTrue(svg.texts.contains("BPTT"))
    XCTAssertTrue(svg.texts.contains("gradient"))
    XCTAssertTrue(svg.named("desc").isEmpty, "nothing was skipped, so there is nothing to say")
    XCTAssertTrue(svg.allCoordinatesAreFinite)
  }

  func testOnePathPerSeriesWithSomethingToDraw() throws {
    let panel = LinePanel(
      title: "p",
      series: [
        PlotSeries(name: "line", values: [1, 2, 3]),
        PlotSeries(name: "empty", values: []),
        PlotSeries(name: "all NaN", values: [.nan, .infinity]),
        PlotSeries(name: "one point", values: [2]),
      ])
    let other = LinePanel(title: "q", series: [PlotSeries(name: "", values: [3, 1])])
    let svg = try ParsedSVG(SVGPlot.grid([panel, other], columns: 1, title: ""))
    XCTAssertEqual(svg.named("path").count, 3)
    XCTAssertEqual(svg.named("polyline").count, 0)
    XCTAssertEqual(
      svg.named("path").compactMap(\.attributes["class"]), ["series", "series", "series"])
  }

  func testDashedSeriesCarryADashArrayAndSolidOnesDoNot() throws {
    let panel = LinePanel(
      title: "p",
      series: [
        PlotSeries(name: "BPTT", values: [1, 2, 3], style: .solid, color: 0),
        PlotSeries(name: "EP", values: [1, 2, 4], style: .dashed, color: 0),
      ])
    let paths = try ParsedSVG(SVGPlot.grid([panel], columns: 1, title: "")).named("path")
    XCTAssertEqual(paths.count, 2)
    XCTAssertNil(paths[0].attributes["stroke-dasharray"])
    XCTAssertEqual(paths[1].attributes["stroke-dasharray"], SVGBuilder.dashPattern)
    XCTAssertEqual(paths[0].attributes["stroke"], paths[1].attributes["stroke"])
  }

  func testLightSeriesAreThinAndTranslucentAndMarkedSeriesGetADotPerPoint() throws {
    let panel = LinePanel(
      title: "p",
      series: [
        PlotSeries(name: "running", values: [3, 1, 2, 0.5], weight: .light),
        PlotSeries(name: "epochs", values: [2, 1], x: [1, 3], marksPoints: true),
      ])
    let svg = try ParsedSVG(SVGPlot.grid([panel], columns: 1, title: ""))
    let paths = svg.named("path")
    XCTAssertEqual(paths.count, 2)
    let lightWidth = Double(paths[0].attributes["stroke-width"] ?? "") ?? 0
    let regularWidth = Double(paths[1].attributes["stroke-width"] ?? "") ?? 0
    XCTAssertLessThan(lightWidth, regularWidth)
    XCTAssertLessThan(Double(paths[0].attributes["stroke-opacity"] ?? "") ?? 1, 1)
    XCTAssertNil(paths[1].attributes["stroke-opacity"])
    XCTAssertEqual(svg.named("circle").filter { $0.attributes["class"] == "mark" }.count, 2)
    XCTAssertEqual(svg.named("circle").count, 3, "and one in the legend")
    XCTAssertTrue(svg.allCoordinatesAreFinite)
  }

  func testPointsTooDenseToTellApartAreNotMarked() throws {
    let dense = PlotSeries(name: "s", values: (0..<500).map { Double($0) }, marksPoints: true)
    let svg = try ParsedSVG(
      SVGPlot.grid([LinePanel(title: "p", series: [dense])], columns: 1, title: ""))
    XCTAssertTrue(svg.named("circle").filter { $0.attributes["class"] == "mark" }.isEmpty)
  }

  func testXFromZeroStartsTheAxisAtZero() throws {
    let series = PlotSeries(name: "", values: [5], x: [1])
    let fromData = try ParsedSVG(
      SVGPlot.grid([LinePanel(title: "p", series: [series])], columns: 1, title: ""))
    XCTAssertFalse(fromData.texts.contains("0"), "\(fromData.texts)")
    let fromZero = try ParsedSVG(
      SVGPlot.grid(
        [LinePanel(title: "p", series: [series], xFromZero: true)], columns: 1, title: ""))
    XCTAssertTrue(fromZero.texts.contains("0") && fromZero.texts.contains("1"), "\(fromZero.texts)")
  }

  func testAnEmptyGridAndAnEmptyPanelStillParse() throws {
    XCTAssertNoThrow(try ParsedSVG(SVGPlot.grid([], columns: 3, title: "nothing")))
    let svg = try ParsedSVG(
      SVGPlot.grid([LinePanel(title: "empty", series: [])], columns: 0, title: ""))
    XCTAssertTrue(svg.texts.contains("no data"))
    XCTAssertTrue(svg.named("path").isEmpty)
  }

  // MARK: Ticks

  func testLinearTicksFromZeroToOneStepByAFifth() {
    let ticks = NiceTicks.linear(0, 1)
    XCTAssertEqual(ticks.values.count, 6)
    for (tick, expected) in zip(ticks.values, [0, 0.2, 0.4, 0.6, 0.8, 1.0]) {
      XCTAssertEqual(tick, expected, accuracy: 1e-12)
    }
    XCTAssertEqual(TickLabel.labels(ticks), ["0", "0.2", "0.4", "0.6", "0.8", "1"])
  }

  func testLinearTicksAreNiceCoverTheDataAndNumberFourToSix() {
    let ranges: [(Double, Double)] = [
      (0, 1), (-0.06, 0.018), (0, 40), (1, 30), (-3.7, 12.2), (0.0012, 0.0017), (1e5, 3.3e5),
      (-1e-9, 1e-9), (100.1, 100.2), (7, 3), (-250, -20),
    ]
    for (low, high) in ranges {
      let ticks = NiceTicks.linear(low, high)
      let message = "\(low)…\(high): \(ticks.values)"
      XCTAssertTrue((4...6).contains(ticks.values.count), message)
      XCTAssertLessThanOrEqual(ticks.lower, Swift.min(low, high), message)
      XCTAssertGreaterThanOrEqual(ticks.upper, Swift.max(low, high), message)
      let exponent = floor(log10(ticks.step))
      let mantissa = (ticks.step / pow(10, exponent) * 1e6).rounded() / 1e6
      XCTAssertTrue([1, 2, 5].contains(mantissa), message)
      for (a, b) in zip(ticks.values, ticks.values.dropFirst()) {
        XCTAssertEqual(b - a, ticks.step, accuracy: ticks.step * 1e-9, message)
      }
      let labels = TickLabel.labels(ticks)
      XCTAssertEqual(Set(labels).count, labels.count, "labels must differ: \(labels)")
    }
  }

  func testLogTicksAreDecades() {
    let ticks = NiceTicks.log(3e-7, 2e-3)
    XCTAssertEqual(ticks.values.count, 6)
    for (tick, exponent) in zip(ticks.values, -7...(-2)) {
      XCTAssertEqual(tick, pow(10, Double(exponent)), accuracy: pow(10, Double(exponent)) * 1e-12)
    }
    XCTAssertEqual(TickLabel.labels(ticks), ["1e-7", "1e-6", "1e-5", "1e-4", "1e-3", "1e-2"])
    XCTAssertEqual(TickLabel.labels(NiceTicks.log(0.08, 13)), ["0.01", "0.1", "1", "10", "100"])
  }

  func testLogTicksSkipDecadesOverWideRangesAndSplitOneDecade() {
    let wide = NiceTicks.log(1e-30, 1)
    XCTAssertLessThanOrEqual(wide.values.count, 6)
    XCTAssertLessThanOrEqual(wide.lower, 1e-30)
    XCTAssertGreaterThanOrEqual(wide.upper, 1)
    let narrow = NiceTicks.log(2, 8)
    XCTAssertEqual(TickLabel.labels(narrow), ["1", "2", "5", "10"])
  }

  func testOneValueRangesArePaddedAndBadBoundsFallBack() {
    for value in [5.0, 0, -3e-8, 1e300] {
      let ticks = NiceTicks.linear(value, value)
      XCTAssertLessThan(ticks.lower, value == 0 ? 0 : value + abs(value) * 1e-3, "\(value)")
      XCTAssertGreaterThan(ticks.upper, value, "\(value)")
    }
    let log = NiceTicks.log(10, 10)
    XCTAssertLessThan(log.lower, 10)
    XCTAssertGreaterThan(log.upper, 10)
    XCTAssertEqual(NiceTicks.linear(.nan, 1).values.first, 0)
    XCTAssertEqual(NiceTicks.log(-1, 5).lower, 1)
    let huge = NiceTicks.linear(-Double.greatestFiniteMagnitude, .greatestFiniteMagnitude)
    XCTAssertTrue(huge.values.allSatisfy(\.isFinite))
    XCTAssertLessThan(huge.lower, huge.upper)
  }

  func testTickLabelsAreCompact() {
    XCTAssertEqual(
      TickLabel.labels(NiceTicks.linear(0, 2e-3)), ["0", "5e-4", "1e-3", "1.5e-3", "2e-3"])
    XCTAssertEqual(TickLabel.labels(NiceTicks.linear(0, 3e4)), ["0", "1e4", "2e4", "3e4"])
    XCTAssertEqual(TickLabel.labels(NiceTicks.linear(0, 40)), ["0", "10", "20", "30", "40"])
    XCTAssertEqual(TickLabel.format(0.1 + 0.2, step: 0.1, exponential: false), "0.3")
    XCTAssertEqual(TickLabel.format(-1e-17, step: 0.1, exponential: false), "0")
    XCTAssertEqual(TickLabel.format(9.96e-4, step: 1e-3, exponential: true), "1e-3")
    XCTAssertEqual(TickLabel.format(-2.5e-7, step: 5e-8, exponential: true), "-2.5e-7")
  }

  // MARK: What cannot be drawn

  func testNaNAndInfinitySkipThePointBreakTheLineAndAreCounted() throws {
    let series = PlotSeries(name: "EP", values: [1, 2, .nan, 4, 5, .infinity, -.infinity, 8])
    let points = SeriesPoints(series, logY: false)
    XCTAssertEqual(points.skipped, 3)
    XCTAssertEqual(points.runs.map { $0.map(\.y) }, [[1, 2], [4, 5], [8]])
    let svg = try ParsedSVG(
      SVGPlot.grid([LinePanel(title: "p", series: [series])], columns: 1, title: ""))
    let path = try XCTUnwrap(svg.named("path").first?.attributes["d"])
    XCTAssertEqual(path.filter { $0 == "M" }.count, 3)
    let desc = try XCTUnwrap(svg.text(of: "desc").first)
    XCTAssertTrue(desc.contains("skipped 3 points"), desc)
    XCTAssertTrue(desc.contains("'EP'"), desc)
    XCTAssertTrue(svg.allCoordinatesAreFinite)
  }

  func testALogAxisSkipsValuesThatAreNotPositive() throws {
    let series = PlotSeries(name: "error", values: [1, 0, -1, 10, 100])
    let points = SeriesPoints(series, logY: true)
    XCTAssertEqual(points.skipped, 2)
    XCTAssertEqual(points.runs.map { $0.map(\.y) }, [[1], [10, 100]])
    let svg = try ParsedSVG(
      SVGPlot.grid(
        [LinePanel(title: "log", series: [series], logY: true)], columns: 1, title: ""))
    let desc = try XCTUnwrap(svg.text(of: "desc").first)
    XCTAssertTrue(desc.contains("skipped 2 points"), desc)
    XCTAssertTrue(desc.contains("log axis"), desc)
    XCTAssertTrue(svg.allCoordinatesAreFinite)
  }

  func testSinglePointsAndConstantSeriesDrawWithoutDividingByZero() throws {
    let panel = LinePanel(
      title: "flat",
      series: [
        PlotSeries(name: "constant", values: [3, 3, 3, 3]),
        PlotSeries(name: "dot", values: [3], x: [1]),
      ])
    let svg = try ParsedSVG(SVGPlot.grid([panel], columns: 1, title: ""))
    XCTAssertEqual(svg.named("path").count, 2)
    XCTAssertTrue(svg.allCoordinatesAreFinite)
    let alone = try ParsedSVG(
      SVGPlot.grid(
        [LinePanel(title: "one", series: [PlotSeries(name: "", values: [0])], logY: false)],
        columns: 1, title: ""))
    XCTAssertEqual(alone.named("path").count, 1)
    XCTAssertTrue(alone.allCoordinatesAreFinite)
  }

  func testUnpairedXAndValuesUseTheCommonLengthAndSaySo() throws {
    let series = PlotSeries(name: "s", values: [1, 2, 3, 4], x: [0, 10])
    XCTAssertEqual(SeriesPoints(series, logY: false).points.map(\.x), [0, 10])
    let svg = try ParsedSVG(
      SVGPlot.grid([LinePanel(title: "p", series: [series])], columns: 1, title: ""))
    XCTAssertTrue(svg.text(of: "desc").first?.contains("2 unpaired") ?? false)
  }

  func testOddValuesAlwaysGiveWellFormedDocumentsWithFiniteCoordinates() throws {
    let odd: [Double] = [
      0, -0.0, 1, -1, 3e-7, 42, .leastNonzeroMagnitude, -1e-300, 1e300, -1e300,
      .greatestFiniteMagnitude, .nan, .infinity, -.infinity,
    ]
    // A fixed linear congruential sequence: the same cases on every run.
    var state: UInt64 = 12_345
    func next() -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int(state >> 33)
    }
    for trial in 0..<200 {
      let count = next() % 6
      let values = (0..<count).map { _ in odd[next() % odd.count] }
      let x = next() % 3 == 0 ? (0..<count).map { _ in odd[next() % odd.count] } : nil
      let logY = trial % 2 == 0
      let series = PlotSeries(name: "s", values: values, x: x)
      let grid = try ParsedSVG(
        SVGPlot.grid([LinePanel(title: "t", series: [series], logY: logY)], columns: 1, title: ""))
      XCTAssertTrue(grid.allCoordinatesAreFinite, "\(values) \(x ?? []) log: \(logY)")
      XCTAssertFalse(
        grid.texts.contains { $0.contains("NaN") || $0.contains("inf") }, "\(grid.texts)")
      let bars = values.map { BarChart.Bar(name: "b", value: $0, error: values.first) }
      let chart = try ParsedSVG(
        SVGPlot.bars(
          BarChart(title: "", groups: [BarChart.Group(label: "g", bars: bars)], logY: logY)))
      XCTAssertTrue(chart.allCoordinatesAreFinite, "\(values) log: \(logY)")
      XCTAssertFalse(
        chart.texts.contains { $0.contains("NaN") || $0.contains("inf") }, "\(chart.texts)")
    }
  }

  // MARK: Text

  func testTitlesAndNamesAreEscaped() throws {
    let nasty = "a & b < c > d \"quoted\" 'single' \u{1}"
    let panel = LinePanel(
      title: nasty, xLabel: nasty, yLabel: nasty,
      series: [PlotSeries(name: nasty, values: [1, .nan, 2])])
    let grid = SVGPlot.grid([panel], columns: 1, title: nasty)
    XCTAssertFalse(grid.contains("a & b"))
    let svg = try ParsedSVG(grid)
    let expected = "a & b < c > d \"quoted\" 'single' \u{FFFD}"
    XCTAssertEqual(svg.text(of: "title").first, expected)
    XCTAssertTrue(svg.texts.filter { $0 == expected }.count >= 4, "\(svg.texts)")
    XCTAssertTrue(svg.text(of: "desc").first?.contains(expected) ?? false)
    let chart = BarChart(
      title: nasty, yLabel: nasty,
      groups: [BarChart.Group(label: nasty, bars: [BarChart.Bar(name: nasty, value: 1)])])
    XCTAssertNoThrow(try ParsedSVG(SVGPlot.bars(chart)))
  }

  // MARK: Downsampling

  func testLongSeriesAreDownsampledKeepingTheirExtremes() throws {
    var values = (0..<30_000).map { sin(Double($0) / 500) }
    values[12_345] = 7
    values[23_456] = -7
    values[15_000] = .nan
    let points = SeriesPoints(PlotSeries(name: "long", values: values), logY: false)
    XCTAssertLessThanOrEqual(points.points.count, SeriesPoints.limit)
    XCTAssertGreaterThan(points.points.count, SeriesPoints.limit / 2)
    XCTAssertEqual(points.points.map(\.y).max(), 7)
    XCTAssertEqual(points.points.map(\.y).min(), -7)
    XCTAssertEqual(points.runs.count, 2, "the NaN still breaks the line")
    XCTAssertEqual(points.valid, 29_999)
    let xs = points.points.map(\.x)
    XCTAssertEqual(xs, xs.sorted(), "points stay in order")

    let svg = try ParsedSVG(
      SVGPlot.grid(
        [LinePanel(title: "long", series: [PlotSeries(name: "long", values: values)])],
        columns: 1, title: ""))
    let path = try XCTUnwrap(svg.named("path").first?.attributes["d"])
    XCTAssertLessThanOrEqual(path.split(separator: " ").count, SeriesPoints.limit)
    XCTAssertTrue(svg.text(of: "desc").first?.contains("downsampled 29999 points") ?? false)
  }

  // MARK: Bar charts

  func testOneBarPerDrawableValueWithSharedColoursAndErrorBars() throws {
    let chart = BarChart(
      title: "RMSE", yLabel: "relative error",
      groups: [
        BarChart.Group(
          label: "s1",
          bars: [
            BarChart.Bar(name: "EP", value: 0.1, error: 0.02),
            BarChart.Bar(name: "RBP", value: -0.05),
            BarChart.Bar(name: "BPTT", value: .nan),
          ]),
        BarChart.Group(
          label: "s2",
          bars: [
            BarChart.Bar(name: "EP", value: 0.3, error: .nan),
            BarChart.Bar(name: "RBP", value: 0.2, error: -0.01),
            BarChart.Bar(name: "BPTT", value: 0.25),
          ]),
      ])
    let svg = try ParsedSVG(SVGPlot.bars(chart))
    let bars = svg.named("rect").filter { $0.attributes["class"] == "bar" }
    XCTAssertEqual(bars.count, 5)
    XCTAssertEqual(bars[0].attributes["fill"], bars[2].attributes["fill"], "EP in both groups")
    XCTAssertNotEqual(bars[0].attributes["fill"], bars[1].attributes["fill"])
    XCTAssertEqual(svg.named("line").filter { $0.attributes["class"] == "error" }.count, 2)
    XCTAssertTrue(svg.texts.contains("s1") && svg.texts.contains("s2"))
    XCTAssertEqual(svg.texts.filter { ["EP", "RBP", "BPTT"].contains($0) }.count, 3)
    XCTAssertTrue(svg.text(of: "desc").first?.contains("'BPTT'") ?? false)
    XCTAssertTrue(svg.allCoordinatesAreFinite)
    XCTAssertTrue(bars.allSatisfy { (Double($0.attributes["height"] ?? "") ?? -1) >= 0 })
  }

  func testLogBarsRiseFromTheAxisAndSkipValuesThatAreNotPositive() throws {
    let chart = BarChart(
      title: "log",
      groups: [
        BarChart.Group(
          label: "layer",
          bars: [
            BarChart.Bar(name: "a", value: 3e-4, error: 5e-4),
            BarChart.Bar(name: "b", value: 0),
            BarChart.Bar(name: "c", value: 2e-2),
          ])
      ], logY: true)
    let svg = try ParsedSVG(SVGPlot.bars(chart))
    let bars = svg.named("rect").filter { $0.attributes["class"] == "bar" }
    XCTAssertEqual(bars.count, 2)
    let bottoms = bars.map {
      (Double($0.attributes["y"] ?? "") ?? 0) + (Double($0.attributes["height"] ?? "") ?? 0)
    }
    XCTAssertEqual(bottoms[0], bottoms[1], accuracy: 0.02)
    XCTAssertTrue(svg.text(of: "desc").first?.contains("log axis") ?? false)
    XCTAssertTrue(svg.allCoordinatesAreFinite)
    XCTAssertNoThrow(try ParsedSVG(SVGPlot.bars(BarChart(title: "", groups: []))))
  }

  // MARK: Writing and colours

  func testWriteReplacesTheFileAtomicallyAndNamesThePathOnFailure() throws {
    let folder = FileManager.default.temporaryDirectory.path + "/plot-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let path = folder + "/figure.svg"
    try SVGPlot.write("old", to: path)
    let svg = SVGPlot.grid([LinePanel(title: "p", series: [])], columns: 1, title: "new")
    try SVGPlot.write(svg, to: path)
    XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), svg)
    XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder), ["figure.svg"])
    let missing = folder + "/no/such/folder/figure.svg"
    XCTAssertThrowsError(try SVGPlot.write(svg, to: missing)) { error in
      XCTAssertTrue("\(error)".hasPrefix(missing), "\(error)")
    }
  }

  func testThePaletteWrapsAroundInBothDirections() {
    let count = PlotPalette.colors.count
    XCTAssertEqual(PlotPalette.color(count), PlotPalette.color(0))
    XCTAssertEqual(PlotPalette.color(-1), PlotPalette.colors.last)
    XCTAssertEqual(Set(PlotPalette.colors).count, count)
  }
}
