// The normal build's driver of a fuzz target: runs each file given (or each file in each
// folder given) through LLVMFuzzerTestOneInput once, so the seed corpus and the regressions
// run with gcc too, and with `--random N` also N pseudo-random inputs, the same every run.
// The sanitizer build links libFuzzer's own main instead.
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) __attribute__((weak));

namespace {

void Run(const std::string& bytes) {
  LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
}

void Run(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  Run(std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>()));
}

void RunRandom(int count) {
  std::mt19937 random(20261203);
  for (int i = 0; i < count; ++i) {
    std::string bytes(random() % 512, '\0');
    for (char& byte : bytes) byte = static_cast<char>(random());
    Run(bytes);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (LLVMFuzzerInitialize) LLVMFuzzerInitialize(&argc, &argv);
  int inputs = 0;
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]) == "--random" && i + 1 < argc) {
      const int count = std::stoi(argv[++i]);
      RunRandom(count);
      inputs += count;
      continue;
    }
    const std::filesystem::path path(argv[i]);
    if (!std::filesystem::is_directory(path)) {
      Run(path);
      ++inputs;
      continue;
    }
    for (const auto& entry : std::filesystem::recursive_directory_iterator(path)) {
      if (!entry.is_regular_file()) continue;
      Run(entry.path());
      ++inputs;
    }
  }
  std::cout << "replayed " << inputs << " inputs" << std::endl;
  return 0;
}
