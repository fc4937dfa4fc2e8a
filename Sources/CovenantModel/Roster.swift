import CovenantCEL

/// Households and buildings with their attributes, as conditions see them (`household.*`,
/// `building.*`) and as tallies group them.
public struct Roster: Sendable {
    /// One household.
    public struct Household: Sendable {
        public var id: String
        public var grid: String?
        public var building: String?
        public var unit: String?
        /// The head's name (never published unmasked).
        public var name: String?
        /// Declared attributes, typed by the convention's `roster.household`.
        public var attributes: MapValue

        public init(id: String, grid: String? = nil, building: String? = nil, unit: String? = nil, name: String? = nil,
                    attributes: MapValue = MapValue()) {
            self.id = id
            self.grid = grid
            self.building = building
            self.unit = unit
            self.name = name
            self.attributes = attributes
        }
    }

    /// One building.
    public struct Building: Sendable {
        public var id: String
        public var grid: String?
        public var attributes: MapValue

        public init(id: String, grid: String? = nil, attributes: MapValue = MapValue()) {
            self.id = id
            self.grid = grid
            self.attributes = attributes
        }
    }

    public var households: [String: Household]
    public var buildings: [String: Building]

    /// Creates a roster.
    public init(households: [String: Household] = [:], buildings: [String: Building] = [:]) {
        self.households = households
        self.buildings = buildings
    }

    /// The `household` value for conditions.
    public func householdValue(_ id: String) -> Value? {
        guard let h = households[id] else { return nil }
        var m = h.attributes
        m.set("id", .string(h.id))
        if let g = h.grid { m.set("grid", .string(g)) }
        if let b = h.building { m.set("building", .string(b)) }
        if let u = h.unit { m.set("unit", .string(u)) }
        return .map(m)
    }

    /// The `building` value for conditions.
    public func buildingValue(_ id: String) -> Value? {
        var m = buildings[id]?.attributes ?? MapValue()
        m.set("id", .string(id))
        if let g = buildings[id]?.grid { m.set("grid", .string(g)) }
        return buildings[id] == nil ? nil : .map(m)
    }
}
