// Replays a corpus through LLVMFuzzerTestOneInput when libFuzzer is not linked, so that every
// test run re-checks the inputs fuzzing found interesting. Usage: replay DIR...
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

int main(int argc, char** argv) {
  size_t count = 0;
  for (int i = 1; i < argc; ++i) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(argv[i])) {
      if (!entry.is_regular_file()) continue;
      // Sized read rather than istreambuf_iterator, which GCC 12 flags at -O3
      // (-Wnull-dereference inside <streambuf>, a false positive).
      std::string bytes(static_cast<size_t>(entry.file_size()), '\0');
      std::ifstream in(entry.path(), std::ios::binary);
      in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
      LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
      ++count;
    }
  }
  std::cout << "replayed " << count << " inputs\n";
  return count > 0 ? 0 : 1;
}
