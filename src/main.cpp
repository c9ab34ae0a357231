#include <iostream>

#include "protocol/model_index.hpp"

int main() {
  std::cout << "terrarium " << TERRARIUM_VERSION << " (botocore "
            << terrarium::protocol::kBotocoreVersion << ")\n";
}
