#include "agdf/workers/supervisor.hpp"

#include <spawn.h>
#include <sys/wait.h>

#include <algorithm>
#include <csignal>
#include <cstring>

extern char** environ;

namespace agdf::workers {
namespace {

constexpr auto kFirstBackoff = std::chrono::milliseconds(200);
constexpr auto kMaxBackoff = std::chrono::milliseconds(10'000);
constexpr auto kHealthyRun = std::chrono::seconds(10);

std::string describe_exit(int status) {
  if (WIFEXITED(status)) return "exit status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return std::string("signal ") + strsignal(WTERMSIG(status));
  return "status " + std::to_string(status);
}

}  // namespace

WorkerSupervisor::WorkerSupervisor(SupervisorOptions options)
    : options_(std::move(options)), running_(options_.commands.size(), 0) {
  for (std::size_t i = 0; i < options_.commands.size(); ++i)
    threads_.emplace_back([this, i] { keep_running(i); });
}

WorkerSupervisor::~WorkerSupervisor() {
  stop();
}

std::size_t WorkerSupervisor::starts() const {
  std::lock_guard lock(mutex_);
  return starts_;
}

void WorkerSupervisor::stop() {
  std::vector<pid_t> groups;
  {
    std::lock_guard lock(mutex_);
    if (!stop_) {
      stop_ = true;
      for (pid_t pid : running_)
        if (pid > 0) groups.push_back(pid);
    }
  }
  stopping_.notify_all();
  for (pid_t pid : groups) ::kill(-pid, SIGTERM);
  // The threads reap their process; give them the grace period, then force it.
  const auto deadline = std::chrono::steady_clock::now() + options_.stop_grace;
  {
    std::unique_lock lock(mutex_);
    stopping_.wait_until(lock, deadline, [this] {
      return std::ranges::all_of(running_, [](pid_t pid) { return pid == 0; });
    });
    for (pid_t pid : running_)
      if (pid > 0) ::kill(-pid, SIGKILL);
  }
  for (auto& thread : threads_)
    if (thread.joinable()) thread.join();
}

void WorkerSupervisor::keep_running(std::size_t index) {
  const std::string& command = options_.commands[index];
  auto backoff = kFirstBackoff;
  for (;;) {
    pid_t pid = 0;
    {
      std::lock_guard lock(mutex_);
      if (stop_) return;
      pid = spawn(command);
      if (pid > 0) {
        running_[index] = pid;
        ++starts_;
      }
    }
    if (pid <= 0) {
      log(true, "cannot start worker", {{"command", command}, {"error", std::strerror(-pid)}});
    } else {
      log(false, "worker process started", {{"command", command}, {"pid", std::to_string(pid)}});
      const auto started = std::chrono::steady_clock::now();
      int status = 0;
      while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
      }
      {
        std::lock_guard lock(mutex_);
        running_[index] = 0;
        // Whatever the command left behind in its group goes with it.
        ::kill(-pid, SIGKILL);
        if (stop_) {
          stopping_.notify_all();
          return;
        }
      }
      if (std::chrono::steady_clock::now() - started >= kHealthyRun) backoff = kFirstBackoff;
      log(true, "worker process exited, restarting",
          {{"command", command},
           {"pid", std::to_string(pid)},
           {"how", describe_exit(status)},
           {"restart_in_ms", std::to_string(backoff.count())}});
    }
    std::unique_lock lock(mutex_);
    if (stopping_.wait_for(lock, backoff, [this] { return stop_; })) return;
    backoff =
        std::min(backoff * 2, std::chrono::duration_cast<std::chrono::milliseconds>(kMaxBackoff));
  }
}

pid_t WorkerSupervisor::spawn(const std::string& command) {
  // Built before posix_spawn: nothing unsafe runs in the child.
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e)
    if (std::strncmp(*e, "AGDF_SERVER=", 12) != 0) env.emplace_back(*e);
  env.push_back("AGDF_SERVER=" + options_.server_address);
  std::vector<char*> envp;
  for (auto& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::string shell = "/bin/sh", dash_c = "-c", text = command;
  char* argv[] = {shell.data(), dash_c.data(), text.data(), nullptr};

  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  // The daemon blocks SIGTERM/SIGINT in every thread and ignores SIGPIPE; a worker must
  // start with neither, or it could not be stopped.
  sigset_t none, defaults;
  sigemptyset(&none);
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGTERM);
  sigaddset(&defaults, SIGINT);
  sigaddset(&defaults, SIGPIPE);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setpgroup(&attr, 0);
  posix_spawnattr_setflags(&attr,
                           POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, STDERR_FILENO, STDOUT_FILENO);

  pid_t pid = 0;
  int error = posix_spawn(&pid, shell.c_str(), &actions, &attr, argv, envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  return error == 0 ? pid : -error;
}

void WorkerSupervisor::log(bool warning, std::string message,
                           std::vector<std::pair<std::string, std::string>> fields) const {
  if (options_.log) options_.log({warning, std::move(message), std::move(fields)});
}

}  // namespace agdf::workers
