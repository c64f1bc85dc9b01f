#include "viz/tex/tex_batch.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "viz/tex/dvisvgm_outline.h"

extern char** environ;

namespace trajtool {
namespace fs = std::filesystem;

const char* const kDefaultTexPreamble =
    "\\usepackage{amsmath}\n\\usepackage{amssymb}\n\\usepackage{bm}\n\\usepackage{mathtools}\n"
    "\\usepackage{xcolor}\n";

TexError::TexError(int formula_index, std::string tex_message)
    : InputError("TeX: " + tex_message), formula(formula_index), message(std::move(tex_message)) {}

namespace {

// A TeX run that takes longer than this is stuck (a macro that expands forever).
constexpr std::chrono::seconds kTexTimeLimit{60};

std::atomic<int> latex_processes{0};

// A folder under $TMPDIR removed with everything in it when this goes out of scope.
struct TemporaryFolder {
  std::string path;
  TemporaryFolder() {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/trajtool-tex-XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) {
      throw RuntimeFailure("cannot make a temporary folder for TeX: " +
                           std::string(std::strerror(errno)));
    }
    path = pattern;
  }
  ~TemporaryFolder() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
};

// Runs `argv` in `folder` with stdin from /dev/null and stdout+stderr into `folder`/`output`,
// with `extra_env` added to the environment. Returns its exit status (-1: killed on timeout).
int run_tool(const std::vector<std::string>& argv, const std::string& folder,
             const std::string& output, const std::vector<std::string>& extra_env) {
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::vector<std::string> env_strings = extra_env;
  for (char** e = environ; *e != nullptr; ++e) env_strings.emplace_back(*e);
  std::vector<char*> env;
  for (std::string& e : env_strings) env.push_back(e.data());
  env.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addchdir_np(&actions, folder.c_str());
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  const std::string out_path = folder + "/" + output;
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  pid_t pid = 0;
  const int spawned = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), env.data());
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    throw RuntimeFailure("cannot run " + argv[0] + ": " + std::strerror(spawned) +
                         " (TeX Live and dvisvgm come with toolkit/setup.sh)");
  }
  const auto deadline = std::chrono::steady_clock::now() + kTexTimeLimit;
  int status = 0;
  for (;;) {
    const pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    if (done < 0 && errno != EINTR)
      throw RuntimeFailure("waitpid: " + std::string(strerror(errno)));
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      return -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return -1;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

size_t line_count(const std::string& text) {
  size_t n = 1;
  for (char c : text) n += c == '\n';
  return n;
}

// The document: preamble lines first, then per formula an opening line, its text, a closing line.
struct TexDocument {
  std::string text;
  int preamble_first = 0, preamble_last = 0;  // lines of the user's preamble (1-based)
  std::vector<int> first_line, last_line;     // per formula, the lines of its page
};

TexDocument make_document(const std::string& preamble, const std::vector<std::string>& formulas) {
  TexDocument doc;
  std::string& t = doc.text;
  t = "\\documentclass{article}\n";
  t += kDefaultTexPreamble;
  int line = static_cast<int>(line_count(t));
  doc.preamble_first = line;
  t += preamble + "\n";
  line += static_cast<int>(line_count(preamble));
  doc.preamble_last = line - 1;
  // A box holds the formula in display style, with a strut so that every formula's box is at
  // least a line of text tall (as text boxes are); its size goes to the log, the box to a page.
  t += "\\makeatletter\n"
       "\\newcommand\\trajtool@open{\\setbox0=\\hbox\\bgroup\\strut$\\displaystyle}\n"
       "\\newcommand\\trajtool@close[1]{$\\egroup\\typeout{trajtool-box #1: \\the\\wd0 , "
       "\\the\\ht0 , \\the\\dp0 }\\shipout\\box0\\relax}\n"
       "\\makeatother\n"
       "\\begin{document}\n";
  line += 6;
  for (size_t i = 0; i < formulas.size(); ++i) {
    doc.first_line.push_back(line);
    t += "\\csname trajtool@open\\endcsname\n" + formulas[i] +
         "\n\\csname trajtool@close\\endcsname{" + std::to_string(i) + "}\n";
    line += 2 + static_cast<int>(line_count(formulas[i]));
    doc.last_line.push_back(line - 1);
  }
  t += "\\end{document}\n";
  return doc;
}

// TeX's error from the log: the first "! ..." line and the "l.N ..." context after it.
TexError error_from_log(const std::string& log, const TexDocument& doc, int exit_code) {
  const std::vector<std::string> lines = lines_of(log);
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].rfind("! ", 0) != 0) continue;
    std::string message = lines[i];
    // A message TeX continues on the next lines (LaTeX errors: "See the LaTeX manual...") is
    // left at its first line; the context line "l.N text" says where.
    for (size_t j = i + 1; j < lines.size() && j < i + 40; ++j) {
      const std::string& l = lines[j];
      if (l.rfind("! ", 0) == 0) break;  // a second error ("Emergency stop"): no context of ours
      if (l.size() < 3 || l.compare(0, 2, "l.") != 0 ||
          !std::isdigit(static_cast<unsigned char>(l[2])))
        continue;
      size_t digits = 2;
      while (digits < l.size() && std::isdigit(static_cast<unsigned char>(l[digits]))) ++digits;
      const int at = std::atoi(l.c_str() + 2);
      std::string context = l.substr(digits);
      while (!context.empty() && context.front() == ' ') context.erase(0, 1);
      int formula = -1;
      int relative = at - doc.preamble_first + 1;
      for (size_t k = 0; k < doc.first_line.size(); ++k) {
        if (at >= doc.first_line[k] && at <= doc.last_line[k]) {
          formula = static_cast<int>(k);
          // The opening and closing lines count as the formula's first and last lines.
          relative = std::max(
              1, std::min(at - doc.first_line[k], doc.last_line[k] - doc.first_line[k] - 1));
        }
      }
      if (formula < 0 && (at < doc.preamble_first || at > doc.preamble_last)) {
        relative = 0;  // in trajtool's own lines: no useful context
      }
      if (context.find("trajtool@") != std::string::npos) context.clear();
      if (relative > 0 && !context.empty()) {
        message += " -- l." + std::to_string(relative) + " " + context;
      }
      return TexError(formula, message);
    }
    return TexError(-1, message);
  }
  return TexError(-1, "latex failed (exit " + std::to_string(exit_code) +
                          ") without an error message in its log");
}

double points_to_bp(const std::string& text) {
  return std::strtod(text.c_str(), nullptr) * 72.0 / 72.27;
}

std::string file_identity(const std::string& path) {
  struct stat st {};
  if (path.empty() || stat(path.c_str(), &st) != 0) return "missing";
  return path + ":" + std::to_string(st.st_size) + ":" + std::to_string(st.st_mtime);
}

std::string find_on_path(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path ? path : "");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    if (dir.empty()) dir = ".";
    const std::string candidate = dir + "/" + name;
    if (access(candidate.c_str(), X_OK) == 0) {
      std::error_code error;
      const fs::path real = fs::canonical(candidate, error);
      return error ? candidate : real.string();
    }
  }
  return "";
}

}  // namespace

std::string tex_toolchain_identity() {
  std::string format;
  for (const char* candidate : {"/var/lib/texmf/web2c/pdftex/latex.fmt",
                                "/usr/share/texlive/texmf-var/web2c/pdftex/latex.fmt"}) {
    if (access(candidate, R_OK) == 0) {
      format = candidate;
      break;
    }
  }
  return "latex=" + file_identity(find_on_path("latex")) + ";format=" + file_identity(format) +
         ";dvisvgm=" + file_identity(find_on_path("dvisvgm"));
}

int tex_process_count() { return latex_processes.load(); }

TexBatch typeset_batch(const std::string& preamble, const std::vector<std::string>& formulas) {
  TexBatch batch;
  if (formulas.empty()) return batch;
  const auto start = std::chrono::steady_clock::now();
  TemporaryFolder folder;
  const TexDocument doc = make_document(preamble, formulas);
  {
    std::ofstream out(folder.path + "/formulas.tex", std::ios::binary);
    out << doc.text;
    if (!out.flush()) throw RuntimeFailure("cannot write " + folder.path + "/formulas.tex");
  }
  // Long lines in the log unbroken, so that an error's context is the formula's own line.
  const std::vector<std::string> tex_env = {"max_print_line=100000", "error_line=254",
                                            "half_error_line=238"};
  ++latex_processes;
  const int latex = run_tool(
      {"latex", "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", "formulas.tex"},
      folder.path, "latex.out", tex_env);
  if (latex == -1 && !fs::exists(folder.path + "/formulas.log")) {
    throw RuntimeFailure("latex did not finish within " + std::to_string(kTexTimeLimit.count()) +
                         " s");
  }
  const std::string log = read_file(folder.path + "/formulas.log");
  if (latex != 0) {
    if (latex == -1) {
      throw TexError(-1, "TeX did not finish within " + std::to_string(kTexTimeLimit.count()) +
                             " s (a macro that expands forever?)");
    }
    throw error_from_log(log, doc, latex);
  }
  std::vector<double> wd(formulas.size(), -1), ht(formulas.size()), dp(formulas.size());
  for (const std::string& line : lines_of(log)) {
    if (line.rfind("trajtool-box ", 0) != 0) continue;
    const size_t index = std::strtoul(line.c_str() + 13, nullptr, 10);
    const size_t colon = line.find(':');
    if (index >= formulas.size() || colon == std::string::npos) continue;
    std::istringstream parts(line.substr(colon + 1));
    std::string w, h, d;
    std::getline(parts, w, ',');
    std::getline(parts, h, ',');
    std::getline(parts, d, ',');
    wd[index] = points_to_bp(w);
    ht[index] = points_to_bp(h);
    dp[index] = points_to_bp(d);
  }
  const int dvisvgm =
      run_tool({"dvisvgm", "--no-fonts", "--bbox=none", "--page=1-", "--stdout", "formulas.dvi"},
               folder.path, "formulas.svg", {});
  if (dvisvgm != 0) {
    throw RuntimeFailure("dvisvgm failed (exit " + std::to_string(dvisvgm) + ") on " +
                         std::to_string(formulas.size()) + " formula pages");
  }
  const std::vector<std::string> pages =
      split_svg_documents(read_file(folder.path + "/formulas.svg"));
  if (pages.size() != formulas.size()) {
    throw RuntimeFailure("dvisvgm made " + std::to_string(pages.size()) + " pages of " +
                         std::to_string(formulas.size()) + " formulas");
  }
  for (size_t i = 0; i < formulas.size(); ++i) {
    if (wd[i] < 0) throw RuntimeFailure("latex's log lacks the size of formula " + formulas[i]);
    FormulaOutline outline = read_dvisvgm_page(pages[i], ht[i]);
    outline.width = wd[i];
    outline.height = ht[i];
    outline.depth = dp[i];
    batch.outlines.push_back(std::move(outline));
  }
  batch.tex_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return batch;
}

}  // namespace trajtool
