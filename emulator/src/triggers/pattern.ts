/** Document path patterns of trigger registrations: `users/{uid}`, `orgs/{org}/{rest=**}`. */

export function matchPattern(pattern: string, path: string): Record<string, string> | null {
  const parts = pattern.split("/").filter((s) => s !== "");
  const segments = path.split("/");
  const params: Record<string, string> = {};
  const walk = (pi: number, si: number): boolean => {
    if (pi === parts.length) return si === segments.length;
    const part = parts[pi]!;
    const wildcard = /^\{([^}=]+)(=\*\*)?\}$/.exec(part);
    if (wildcard?.[2]) {
      for (let end = segments.length; end > si; end--) {
        if (walk(pi + 1, end)) {
          params[wildcard[1]!] = segments.slice(si, end).join("/");
          return true;
        }
      }
      return false;
    }
    if (si >= segments.length) return false;
    if (wildcard) {
      if (!walk(pi + 1, si + 1)) return false;
      params[wildcard[1]!] = segments[si]!;
      return true;
    }
    return part === segments[si] && walk(pi + 1, si + 1);
  };
  return walk(0, 0) ? params : null;
}
