/// Which plugin files and folders the host is willing to load. Loading a library runs its
/// code with the user's rights (README, "Trust model"), so nobody else may have been able to
/// put it there or change it.
///
/// A file, or a folder searched for plugins, is refused when it is world-writable, or owned by
/// a user other than root and the one running eqprop. A link is judged by what it points to:
/// for a file, the target and the target's folder. Only a plugin's own folder counts, not the
/// folders above it: /tmp is world-writable (with the sticky bit), yet a folder the user made
/// inside it is fine; /tmp itself cannot be a plugin folder.
struct PluginTrust {
  /// The user eqprop runs as (its effective uid); root is trusted as well.
  var user = FileStatus.effectiveUser

  /// Why `folder` may not be searched, or nil. A folder that does not exist holds nothing to
  /// load and is no problem.
  func problem(folder: String) -> String? {
    guard case .success(let status) = FileStatus.of(folder) else { return nil }
    guard status.isSymbolicLink else { return problem(status, "is", folder) }
    return linkProblem(folder, checkingFolder: false)
  }

  /// Why `file` may not be opened, or nil. The folder it lies in is the caller's to check.
  func problem(file: String) -> String? {
    switch FileStatus.of(file) {
    case .failure(let failure): return "cannot be checked before loading: \(failure)"
    case .success(let status) where status.isSymbolicLink:
      return linkProblem(file, checkingFolder: true)
    case .success(let status): return problem(status, "is", file)
    }
  }

  /// The link's target, and with `checkingFolder` the folder the target lies in.
  private func linkProblem(_ link: String, checkingFolder: Bool) -> String? {
    let target: String
    switch FileStatus.resolved(link) {
    case .failure(let failure): return "is a link that cannot be followed: \(failure)"
    case .success(let resolved): target = resolved
    }
    if case .success(let status) = FileStatus.of(target),
      let problem = problem(status, "is a link to \(target), which is", target)
    {
      return problem
    }
    let folder = Self.folder(of: target)
    guard checkingFolder, case .success(let status) = FileStatus.of(folder) else { return nil }
    return problem(status, "is a link to \(target), whose folder \(folder) is", folder)
  }

  /// "SUBJECT world-writable (…), so …; FIX", or nil when others cannot change `path`.
  private func problem(_ status: FileStatus, _ subject: String, _ path: String) -> String? {
    let fault: String
    let fix: String
    if status.isWorldWritable {
      fault = "world-writable (mode \(status.octalPermissions))"
      fix = "`chmod o-w \(path)` fixes that"
    } else if status.owner != 0 && status.owner != user {
      let name = FileStatus.userName(status.owner).map { "'\($0)' " } ?? ""
      fault = "owned by user \(name)(uid \(status.owner)), neither root nor you (uid \(user))"
      fix = "`chown` it to yourself or root to fix that"
    } else {
      return nil
    }
    return "\(subject) \(fault), so others could change the plugin code loaded from it; \(fix)"
  }

  private static func folder(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    return slash == path.startIndex ? "/" : String(path[..<slash])
  }
}
