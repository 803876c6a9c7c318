// The desktop app in a real window under Xvfb, on lavapipe, driven by scripts: it draws the
// image, the stack and the maps; a parameter change changes the maps; a refused parameter
// shows its message and keeps the last maps.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli_run.h"
#include "gui_run.h"
#include "io/image.h"

using namespace convscope;
namespace fs = std::filesystem;

using test::map_area_difference;
using test::run_gui;
using test::script_copy;
using test::spread;

TEST_CASE("gui --screenshot draws the image, the layer stack and the maps", "[app]") {
  const fs::path dir = test::scratch_dir("gui-default");
  const auto r = run_gui("--screenshot " + test::quoted(dir / "shot.png"));
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  const NdArray shot = load_image(dir / "shot.png");
  CHECK(shot.shape[1] == 900);
  CHECK(shot.shape[2] == 1280);
  CHECK(spread(shot) > 0.1);  // a picture, not a blank window
}

TEST_CASE("changing a parameter in the app changes the maps", "[app]") {
  const fs::path dir = test::scratch_dir("gui-change");
  const auto script = script_copy("change_kernel.txt", dir, dir / "before.png");
  const auto r = run_gui("--script " + test::quoted(script) + " --screenshot " + test::quoted(dir / "after.png"));
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  const double changed = map_area_difference(load_image(dir / "before.png"), load_image(dir / "after.png"));
  CHECK(changed > 0.02);
}

TEST_CASE("a refused parameter shows its message and keeps the last maps", "[app]") {
  const fs::path dir = test::scratch_dir("gui-refuse");
  const auto r = run_gui("--script " + test::quoted(script_copy("refuse_crop.txt", dir)) + " --screenshot " +
                         test::quoted(dir / "shot.png"));
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);  // expect-error passed: the edit was refused, not applied
  CHECK(spread(load_image(dir / "shot.png")) > 0.1);
}

TEST_CASE("a stack built from every kind of layer runs in the app", "[app]") {
  const fs::path dir = test::scratch_dir("gui-build");
  const auto r = run_gui("--script " + test::quoted(script_copy("build_stack.txt", dir)) + " --screenshot " +
                         test::quoted(dir / "shot.png"));
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.find("error") == std::string::npos);
  CHECK(fs::exists(dir / "shot.png"));
}

TEST_CASE("a malformed script is refused before any window opens", "[app]") {
  const fs::path dir = test::scratch_dir("gui-bad");
  std::ofstream(dir / "bad.txt") << "image a.png\nfly away\n";
  const auto r = test::run_cli("gui --script " + test::quoted(dir / "bad.txt"));
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("bad.txt:2: unknown action 'fly'"));
}

TEST_CASE("kernel presets and an edited tap change the maps; export writes every map", "[app]") {
  const fs::path dir = test::scratch_dir("gui-weights");
  const auto script = script_copy("weights_and_export.txt", dir, dir / "before.png");
  const auto r = run_gui("--script " + test::quoted(script) + " --screenshot " + test::quoted(dir / "after.png"));
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(map_area_difference(load_image(dir / "before.png"), load_image(dir / "after.png")) > 0.01);
  CHECK(fs::exists(dir / "export" / "index.html"));
  CHECK(fs::exists(dir / "export" / "02_edges.png"));
  CHECK(fs::exists(dir / "export" / "02_edges.npy"));
}

TEST_CASE("the learnable crop demo fits the box on the GPU and replays it", "[app][fit]") {
  const fs::path dir = test::scratch_dir("gui-fit");
  const auto r = run_gui("--script " + test::quoted(script_copy("fit_crop.txt", dir)) + " --screenshot " +
                         test::quoted(dir / "shot.png"));
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);  // expect-box: within a pixel of the target
  CHECK(fs::exists(dir / "shot.png"));
}

TEST_CASE("an edit recomputes the layers below it, and every live map equals a fresh run", "[app]") {
  const fs::path dir = test::scratch_dir("gui-partial");
  const auto r = run_gui("--script " + test::quoted(script_copy("partial_recompute.txt", dir)) + " --screenshot " +
                         test::quoted(dir / "shot.png"));
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);  // every expect-fresh passed
  CHECK(spread(load_image(dir / "shot.png")) > 0.1);
}

TEST_CASE("the device fails in the app: out of memory keeps the last maps, a lost device is reopened", "[app][reliability]") {
  const fs::path dir = test::scratch_dir("gui-faults");
  const auto r = run_gui("--script " + test::quoted(script_copy("device_faults.txt", dir)) + " --screenshot " +
                         test::quoted(dir / "shot.png"));
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);  // every expect-status and expect-fresh passed, and validation stayed quiet
  // The refused recompute left every map as it was.
  CHECK(map_area_difference(load_image(dir / "before_oom.png"), load_image(dir / "after_oom.png")) == 0);
  size_t reopened = 0;
  for (auto at = r.err.find("reopening the device"); at != std::string::npos; at = r.err.find("reopening the device", at + 1))
    ++reopened;
  CHECK(reopened == 2);
  CHECK(spread(load_image(dir / "shot.png")) > 0.1);
}

// Four sessions on one state folder: edit and crash; recover; discard and save; start clean.
TEST_CASE("unsaved edits survive a crash: autosaved, offered at the next start, recovered as they were",
          "[app][reliability]") {
  const fs::path dir = test::scratch_dir("gui-autosave");
  const fs::path session = dir / "state" / "recovery" / "session.json";
  const std::string state = " --state-dir " + test::quoted(dir / "state");

  auto r = run_gui("--script " + test::quoted(script_copy("autosave_edit.txt", dir)) + state);
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 3);  // the script's crash: nothing flushed on the way out
  REQUIRE(fs::exists(session));

  r = run_gui("--script " + test::quoted(script_copy("autosave_recover.txt", dir)) + state + " --screenshot " +
              test::quoted(dir / "recovered.png"));
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);  // offered, recovered, every parameter as edited, maps fresh
  const NdArray crashed = load_image(dir / "before_crash.png");
  const NdArray recovered = load_image(dir / "recovered.png");
  // The same maps, weights and view settings (only the timings in the captions differ), and
  // not the state the app starts in.
  CHECK(map_area_difference(crashed, recovered) < 0.002);
  CHECK(map_area_difference(load_image(dir / "offer.png"), recovered) > 0.05);
  CHECK(fs::exists(session));  // a clean exit with the edits still unsaved keeps them

  r = run_gui("--script " + test::quoted(script_copy("autosave_discard.txt", dir)) + state + " --screenshot " +
              test::quoted(dir / "discard.png"));
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(fs::exists(dir / "saved.json"));
  CHECK_FALSE(fs::exists(session));  // saved: nothing left to recover

  const fs::path clean = test::write_text(dir / "clean.txt", "wait 1\nexpect-recovery no\n");
  r = run_gui("--script " + test::quoted(clean) + state + " --screenshot " + test::quoted(dir / "clean.png"));
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
}

TEST_CASE("a scripted run leaves the user's recovery folder alone", "[app][reliability]") {
  const fs::path dir = test::scratch_dir("gui-autosave-scripted");
  const fs::path edit = test::write_text(dir / "edit.txt", "set 1 filters 5\nwait 30\n");
  const auto r = run_gui("--script " + test::quoted(edit) + " --screenshot " + test::quoted(dir / "shot.png"),
                         "HOME=" + test::quoted(dir / "home") + " XDG_STATE_HOME=");
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_FALSE(fs::exists(dir / "home"));
}

TEST_CASE("a device lost again and again ends the app with one message and the edits autosaved", "[app][reliability]") {
  const fs::path dir = test::scratch_dir("gui-lost-repeatedly");
  const auto r = run_gui("--script " + test::quoted(script_copy("device_lost_repeatedly.txt", dir)) + " --state-dir " +
                         test::quoted(dir / "state") + " --screenshot " + test::quoted(dir / "shot.png"));
  INFO(r.out << r.err);
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("convscope: failed: Vulkan: acquiring a swapchain image failed: VK_ERROR_DEVICE_LOST (the GPU stopped "
                   "responding: a driver reset or crash); the device was lost 4 times within a minute, giving up\n") !=
        std::string::npos);
  CHECK(fs::exists(dir / "state" / "recovery" / "session.json"));
}
