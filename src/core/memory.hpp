// Where the cores' containers get their memory.
//
// Pure C++ (no PostgreSQL headers). A Builder takes a MemoryResource at construction and
// keeps its containers in it through ResourceAllocator, a standard allocator holding the
// resource pointer. The glue passes a resource over the aggregate's MemoryContext
// (src/pg/context_resource.hpp), so hash aggregation sees and accounts the state's memory
// and the context frees it; unit tests use the default resource (operator new/delete) or
// counting and failing resources of their own.
#pragma once

#include <cstddef>
#include <new>
#include <type_traits>

#include <boost/container/vector.hpp>

namespace opsagg {

class MemoryResource {
  public:
    // Throws std::bad_alloc (or a subclass) when the memory is not available.
    void* allocate(std::size_t bytes, std::size_t alignment) {
        return do_allocate(bytes, alignment);
    }
    // Never throws.
    void deallocate(void* p, std::size_t bytes, std::size_t alignment) noexcept {
        do_deallocate(p, bytes, alignment);
    }

  protected:
    ~MemoryResource() = default;  // resources are never deleted through this interface

  private:
    virtual void* do_allocate(std::size_t bytes, std::size_t alignment) = 0;
    virtual void do_deallocate(void* p, std::size_t bytes, std::size_t alignment) noexcept = 0;
};

// operator new / delete.
class NewDeleteResource final : public MemoryResource {
  private:
    void* do_allocate(std::size_t bytes, std::size_t alignment) override {
        if (alignment <= __STDCPP_DEFAULT_NEW_ALIGNMENT__)
            return ::operator new(bytes);
        return ::operator new (bytes, std::align_val_t{alignment});
    }
    // Unsized deletes: clang enables sized deallocation only with -fsized-deallocation.
    void do_deallocate(void* p, std::size_t, std::size_t alignment) noexcept override {
        if (alignment <= __STDCPP_DEFAULT_NEW_ALIGNMENT__)
            ::operator delete(p);
        else
            ::operator delete (p, std::align_val_t{alignment});
    }
};

inline MemoryResource* default_resource() noexcept {
    static NewDeleteResource resource;
    return &resource;
}

// A standard allocator over a MemoryResource. Like std::pmr's, a container keeps the
// resource it was built with: copies, moves and swaps never move it to another resource.
template <typename T>
class ResourceAllocator {
  public:
    using value_type = T;
    using propagate_on_container_copy_assignment = std::false_type;
    using propagate_on_container_move_assignment = std::false_type;
    using propagate_on_container_swap = std::false_type;

    explicit ResourceAllocator(MemoryResource* resource = default_resource()) noexcept
        : resource_(resource) {}
    template <typename U>
    ResourceAllocator(const ResourceAllocator<U>& other) noexcept : resource_(other.resource()) {}

    T* allocate(std::size_t n) {
        if (n > static_cast<std::size_t>(-1) / sizeof(T))
            throw std::bad_alloc();
        return static_cast<T*>(resource_->allocate(n * sizeof(T), alignof(T)));
    }
    void deallocate(T* p, std::size_t n) noexcept {
        resource_->deallocate(p, n * sizeof(T), alignof(T));
    }

    MemoryResource* resource() const noexcept { return resource_; }

    template <typename U>
    bool operator==(const ResourceAllocator<U>& other) const noexcept {
        return resource_ == other.resource();
    }
    template <typename U>
    bool operator!=(const ResourceAllocator<U>& other) const noexcept {
        return resource_ != other.resource();
    }

  private:
    MemoryResource* resource_;
};

// The containers of aggregate states (Boost.Container takes any standard allocator).
template <typename T>
using ResourceVector = boost::container::vector<T, ResourceAllocator<T>>;

}  // namespace opsagg
